using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace KudosRelay.Core.Kudos;

/// <summary><c>Kudos:CustomerNaming</c>: <c>first-name</c> (default) or <c>anonymous</c>.</summary>
internal enum CustomerNaming { FirstName, Anonymous }

/// <summary>
/// Takes out what must never reach a chat channel or a log: e-mail addresses, phone numbers, payment card numbers
/// (Luhn-valid digit runs only, so order numbers stay), IBANs (mod-97 valid only), links that carry a query or a
/// token fragment, and the customer's surname. Pure and allocation-light: text without any of these comes back as
/// the same string instance.
/// </summary>
internal static partial class Redactor
{
    public const string Email = "[email]", Phone = "[phone]", Card = "[card]", Iban = "[iban]", Link = "[link]", Name = "[name]";

    private const string AnonymousCustomer = "a customer";

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Honorifics =
        new[] { "mr", "mrs", "ms", "miss", "dr", "sir", "madam", "г-н", "г-жа", "г-ца", "д-р", "гн", "гжа", "dl", "dna", "d-na", "d-l" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Redact(string text) => Redact(text, null, CustomerNaming.FirstName);

    /// <summary>Also takes out the customer's surname when <paramref name="customerFullName"/> is known, and the first name too when anonymous.</summary>
    public static string Redact(string text, string? customerFullName, CustomerNaming naming)
    {
        var result = text;
        // Only links with a query or a fragment can carry a token; a plain link is left as it is.
        if (result.AsSpan().ContainsAny('?', '#') && (result.Contains("://", StringComparison.Ordinal) || result.Contains("www.", StringComparison.OrdinalIgnoreCase)))
        {
            var replaced = UrlPattern().Replace(result, static match => RedactUrl(match.ValueSpan));
            if (!replaced.Equals(result, StringComparison.Ordinal))
                result = replaced;
        }
        if (result.Contains('@'))
            result = RedactEmails(result);
        if (result.AsSpan().ContainsAnyInRange('0', '9'))
            result = RedactNumbers(result);
        if (!string.IsNullOrWhiteSpace(customerFullName))
            result = RedactName(result, customerFullName, naming);
        return result;
    }

    /// <summary>How a message names the customer: their first name, or "a customer" when anonymous or unknown.</summary>
    public static string CustomerName(string? fullName, CustomerNaming mode)
    {
        if (mode == CustomerNaming.Anonymous)
            return AnonymousCustomer;
        var (first, _) = NameParts(fullName);
        return first ?? AnonymousCustomer;
    }

    public static bool TryParseNaming(string? value, out CustomerNaming naming)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "first-name" or "firstname":
                naming = CustomerNaming.FirstName;
                return true;
            case "anonymous":
                naming = CustomerNaming.Anonymous;
                return true;
            default:
                naming = CustomerNaming.FirstName;
                return false;
        }
    }

    // Trailing punctuation belongs to the sentence, not the link: "see https://x.io/a?b=1." keeps its full stop.
    private static string RedactUrl(ReadOnlySpan<char> url)
    {
        var core = url.TrimEnd(".,;:!?)]'\"»");
        var query = core.IndexOf('?');
        var fragment = core.IndexOf('#');
        var carriesData = (query >= 0 && query < core.Length - 1) || (fragment >= 0 && core[fragment..].Contains('='));
        return carriesData ? string.Concat(Link, url[core.Length..]) : url.ToString();
    }

    [GeneratedRegex(@"(?:\bhttps?://|\bwww\.)[^\s<>""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    /// <summary>
    /// Grows each '@' into an address: local part to the left, domain to the right with a dot and a top-level domain of
    /// letters. Anchoring on '@' keeps this linear; a regex would try to start an address at every letter.
    /// </summary>
    private static string RedactEmails(string text)
    {
        StringBuilder? output = null;
        var copied = 0;
        var at = text.IndexOf('@');
        while (at >= 0)
        {
            var start = at;
            while (start > copied && IsLocalPart(text[start - 1]))
                start--;
            var end = at + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '-'))
                end++;
            while (end > at + 1 && text[end - 1] is '.' or '-')
                end--;
            if (start < at && IsDomain(text.AsSpan(at + 1, end - at - 1)))
            {
                output ??= Rent(text.Length);
                output.Append(text, copied, start - copied).Append(Email);
                copied = end;
            }
            at = text.IndexOf('@', Math.Max(end, at + 1));
        }
        return output is null ? text : Release(output.Append(text, copied, text.Length - copied));

        static bool IsLocalPart(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

        static bool IsDomain(ReadOnlySpan<char> domain)
        {
            var lastDot = domain.LastIndexOf('.');
            if (lastDot <= 0 || domain[0] == '-' || domain.Contains("..", StringComparison.Ordinal))
                return false;
            var tld = domain[(lastDot + 1)..];
            if (tld.Length < 2)
                return false;
            foreach (var c in tld)
                if (!char.IsLetter(c))
                    return false;
            return true;
        }
    }

    /// <summary>Where something to redact can start: a digit, '+' or '(' before one, or a capital letter (an IBAN's country code).</summary>
    private static readonly SearchValues<char> NumberStarts = SearchValues.Create("0123456789+(ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    /// <summary>One pass over the text for IBANs and digit runs (cards, phones); everything else is copied as is.</summary>
    private static string RedactNumbers(string text)
    {
        StringBuilder? output = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            // The words between numbers are skipped in vector-wide steps rather than a character at a time.
            var skip = text.AsSpan(i).IndexOfAny(NumberStarts);
            if (skip < 0)
                break;
            i += skip;
            var c = text[i];
            var atBoundary = i == 0 || !char.IsLetterOrDigit(text[i - 1]);
            if (atBoundary && char.IsAsciiLetterUpper(c) && i + 3 < text.Length && char.IsAsciiDigit(text[i + 2]))
            {
                if (PaymentNumbers.TryMatchIban(text, i, out var ibanEnd, out var shapeEnd))
                {
                    Replace(i, ibanEnd, Iban);
                    i = ibanEnd;
                }
                else
                {
                    i = shapeEnd;
                }
                continue;
            }
            var startsRun = char.IsAsciiDigit(c) || (c is '+' or '(' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]));
            if (!startsRun || !atBoundary || IsDecimalTail(text, i))
            {
                i++;
                continue;
            }
            var run = DigitRun.Scan(text, i);
            if (run.FollowedByWord)
            {
                i = run.End;
                continue;
            }
            if (c is not '+' and not '(' && run.LongestLuhnValidPrefix(out var cardEnd))
            {
                Replace(i, cardEnd, Card);
                i = cardEnd;
                continue;
            }
            if (run.LongestPhonePrefix(c, out var phoneEnd))
            {
                Replace(i, phoneEnd, Phone);
                i = phoneEnd;
                continue;
            }
            i = run.End;
        }
        if (output is null)
            return text;
        return Release(output.Append(text, copied, text.Length - copied));

        void Replace(int start, int end, string marker)
        {
            output ??= Rent(text.Length);
            output.Append(text, copied, start - copied).Append(marker);
            copied = end;
        }
    }

    // "3.14159…" or "1 234,56": digits right after a decimal separator belong to the number before them.
    private static bool IsDecimalTail(string text, int i) =>
        i >= 2 && text[i - 1] is '.' or ',' && char.IsAsciiDigit(text[i - 2]);

    private static string RedactName(string text, string fullName, CustomerNaming naming)
    {
        var (first, others) = NameParts(fullName);
        var result = text;
        foreach (var surname in others)
        {
            // "Maria Ionescu" reads as "Maria"; a lone "Ionescu" becomes [name].
            if (first is not null)
                result = ReplaceWord(result, $"{first} {surname}", naming == CustomerNaming.Anonymous ? Name : first, StringComparison.OrdinalIgnoreCase);
            result = ReplaceWord(result, surname, Name, StringComparison.OrdinalIgnoreCase);
        }
        if (first is not null && naming == CustomerNaming.Anonymous)
            result = ReplaceWord(result, first, Name, StringComparison.Ordinal);
        return result;
    }

    private static string ReplaceWord(string text, string word, string replacement, StringComparison comparison)
    {
        StringBuilder? output = null;
        var copied = 0;
        var from = 0;
        int at;
        while ((at = text.IndexOf(word, from, comparison)) >= 0)
        {
            var end = at + word.Length;
            from = at + 1;
            if ((at > 0 && char.IsLetter(text[at - 1])) || (end < text.Length && char.IsLetter(text[end])))
                continue;
            output ??= Rent(text.Length);
            output.Append(text, copied, at - copied).Append(replacement);
            copied = from = end;
        }
        return output is null ? text : Release(output.Append(text, copied, text.Length - copied));
    }

    // Each pass ends with its text before the next one starts, so one builder per thread serves every pass of every item
    // instead of a new one, with a buffer the size of the text, each time.
    [ThreadStatic]
    private static StringBuilder? spare;

    private static StringBuilder Rent(int capacity)
    {
        var builder = spare ?? new StringBuilder(capacity);
        spare = null;
        return builder.Clear();
    }

    private static string Release(StringBuilder builder)
    {
        var text = builder.ToString();
        if (builder.Capacity <= 64 * 1024)
            spare = builder;
        return text;
    }

    /// <summary>"Maria Ionescu", "Ionescu, Maria", "Dr. Maria Ionescu-Pop" → Maria and her surnames; a bare "Mr. Smith" has no usable first name.</summary>
    private static (string? First, string[] Others) NameParts(string? fullName)
    {
        if (string.IsNullOrWhiteSpace(fullName) || fullName.Contains('@'))
            return (null, []);
        var name = fullName.Trim();
        var comma = name.IndexOf(',');
        if (comma > 0)
            name = $"{name[(comma + 1)..].Trim()} {name[..comma].Trim()}";
        var parts = name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var skip = 0;
        while (skip < parts.Length && Honorifics.Contains(parts[skip].AsSpan().TrimEnd('.')))
            skip++;
        var others = new List<string>(parts.Length);
        if (skip > 0 || skip >= parts.Length)
        {
            foreach (var part in parts.AsSpan(skip))
                if (part.Length > 1)
                    others.Add(part);
            return (null, [.. others]);
        }
        foreach (var part in parts.AsSpan(1))
            foreach (var piece in part.Split('-'))
                if (piece.Length > 1)
                    others.Add(piece);
        return (parts[0], [.. others]);
    }

    /// <summary>A run of digits joined by single spaces, dashes or brackets: "+1 (555) 123-4567", "4111 1111 1111 1111".</summary>
    private ref struct DigitRun
    {
        private const int MaxDigits = 24;
        private const int MaxGroups = 12;

        private DigitRunBuffers buffers;

        public int End { get; private set; }

        public bool FollowedByWord { get; private set; }

        private int digitCount;
        private int groupCount;

        public static DigitRun Scan(string text, int start)
        {
            var run = new DigitRun();
            var pos = text[start] is '+' or '(' ? start + 1 : start;
            while (true)
            {
                var groupStart = pos;
                while (pos < text.Length && char.IsAsciiDigit(text[pos]))
                {
                    if (run.digitCount < MaxDigits)
                        run.buffers.Digits[run.digitCount] = (byte)(text[pos] - '0');
                    run.digitCount++;
                    pos++;
                }
                if (run.groupCount < MaxGroups)
                {
                    run.buffers.GroupEnds[run.groupCount] = pos;
                    run.buffers.GroupDigits[run.groupCount] = run.digitCount;
                    run.buffers.GroupLengths[run.groupCount] = pos - groupStart;
                }
                run.groupCount++;
                var separator = pos;
                while (separator < text.Length && separator - pos < 2 && text[separator] is ' ' or '-' or '/' or '(' or ')' or '\u00A0' or '\u202F')
                    separator++;
                if (separator == pos || separator >= text.Length || !char.IsAsciiDigit(text[separator]) || run.groupCount >= MaxGroups)
                    break;
                pos = separator;
            }
            run.End = pos;
            if (pos < text.Length)
            {
                var next = text[pos];
                // "AB12 3456x", "1 234,56", "2026.12.25": part of something else, not a number to redact.
                run.FollowedByWord = char.IsLetter(next)
                    || (next is '.' or ',' && pos + 1 < text.Length && char.IsAsciiDigit(text[pos + 1]));
                // "4111 1111 1111 1111 12.50 EUR": only the last group belongs to what follows; the groups before still count.
                if (run.FollowedByWord && run.groupCount is > 1 and <= MaxGroups)
                {
                    run.groupCount--;
                    run.digitCount = run.buffers.GroupDigits[run.groupCount - 1];
                    run.End = pos = run.buffers.GroupEnds[run.groupCount - 1];
                    run.FollowedByWord = false;
                }
            }
            if (text[start] == '(' && run.End < text.Length && text[run.End] == ')')
                run.End++;
            return run;
        }

        /// <summary>Card numbers have 13–19 digits; a longer run may be a card followed by another number, so shorter prefixes are tried too.</summary>
        public readonly bool LongestLuhnValidPrefix(out int end)
        {
            var groups = Math.Min(groupCount, MaxGroups);
            for (var g = groups - 1; g >= 0; g--)
            {
                var digits = buffers.GroupDigits[g];
                if (digits is >= 13 and <= 19 && PaymentNumbers.IsLuhnValid(buffers.Digits[..digits]))
                {
                    end = buffers.GroupEnds[g];
                    return true;
                }
            }
            end = 0;
            return false;
        }

        /// <summary>The whole run, or its first groups when two numbers are written side by side ("0888 123 456 0888 765 432").</summary>
        public readonly bool LongestPhonePrefix(char first, out int end)
        {
            var groups = Math.Min(groupCount, MaxGroups);
            for (var g = groups - 1; g >= 0; g--)
            {
                if (LooksLikePhone(first, buffers.GroupDigits[g], g + 1))
                {
                    end = g == groups - 1 ? End : buffers.GroupEnds[g];
                    return true;
                }
            }
            end = 0;
            return false;
        }

        private readonly bool LooksLikePhone(char first, int d, int groups)
        {
            ReadOnlySpan<byte> digits = buffers.Digits;
            return first switch
            {
                // E.164 allows up to 15 digits; 8 is the shortest international number in practice.
                '+' => d is >= 8 and <= 15,
                '(' => d is >= 10 and <= 11,
                _ when digits[0] == 0 && digits[1] == 0 => d is >= 10 and <= 17,
                // National trunk prefix 0: 0888 123 456 (BG mobile), 07xx xxx xxx (RO), 02 987 6543 (Sofia).
                _ when digits[0] == 0 => d is >= 9 and <= 11,
                // North American 555-123-4567 / 555 123 4567; plain ten-digit runs without that shape stay.
                _ => d == 10 && groups == 3 && buffers.GroupLengths[0] == 3 && buffers.GroupLengths[1] == 3 && buffers.GroupLengths[2] == 4,
            };
        }
    }

    [System.Runtime.CompilerServices.InlineArray(24)]
    private struct DigitBuffer
    {
        private byte element;
    }

    [System.Runtime.CompilerServices.InlineArray(12)]
    private struct GroupBuffer
    {
        private int element;
    }

    private struct DigitRunBuffers
    {
        public DigitBuffer Digits;
        public GroupBuffer GroupEnds;
        public GroupBuffer GroupDigits;
        public GroupBuffer GroupLengths;
    }
}

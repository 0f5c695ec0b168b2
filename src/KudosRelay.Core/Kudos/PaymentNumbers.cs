namespace KudosRelay.Core.Kudos;

/// <summary>Check-digit tests that tell a card number or an IBAN from an order number that merely looks like one.</summary>
internal static class PaymentNumbers
{
    // ISO 13616: the shortest IBAN (Norway) has 15 characters, the longest 34.
    private const int MinIbanLength = 15;
    private const int MaxIbanLength = 34;

    /// <summary>Digits as values 0–9, most significant first.</summary>
    public static bool IsLuhnValid(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i];
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    /// <summary>Compact IBAN (no spaces, upper case): moves the first four characters to the end and checks mod 97 = 1.</summary>
    public static bool IsIbanValid(ReadOnlySpan<char> iban)
    {
        if (iban.Length is < MinIbanLength or > MaxIbanLength || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
            return false;
        var remainder = 0;
        for (var n = 0; n < iban.Length; n++)
        {
            var c = iban[(n + 4) % iban.Length];
            remainder = char.IsAsciiDigit(c) ? (remainder * 10 + (c - '0')) % 97
                : char.IsAsciiLetterUpper(c) ? (remainder * 100 + (c - 'A' + 10)) % 97
                : -1;
            if (remainder < 0)
                return false;
        }
        return remainder == 1;
    }

    /// <summary>
    /// An IBAN starting at <paramref name="start"/>, written compact or in groups split by single spaces. Groups must be
    /// whole words of capitals and digits; the longest valid prefix of groups wins, so "… 3456 78 THANKS" still matches.
    /// </summary>
    /// <paramref name="shapeEnd"/> is where the IBAN-shaped text ends even when it is not valid, so the caller can skip it
    /// instead of reading its digits as a card number.
    public static bool TryMatchIban(string text, int start, out int end, out int shapeEnd)
    {
        end = 0;
        shapeEnd = start + 1;
        if (start + 4 > text.Length || !char.IsAsciiLetterUpper(text[start + 1]) || !char.IsAsciiDigit(text[start + 2]) || !char.IsAsciiDigit(text[start + 3]))
            return false;
        Span<char> compact = stackalloc char[MaxIbanLength];
        var length = 0;
        var pos = start;
        while (true)
        {
            var groupEnd = pos;
            while (groupEnd < text.Length && (char.IsAsciiDigit(text[groupEnd]) || char.IsAsciiLetterUpper(text[groupEnd])))
                groupEnd++;
            if (groupEnd == pos || length + (groupEnd - pos) > MaxIbanLength || (groupEnd < text.Length && char.IsLetterOrDigit(text[groupEnd])))
                break;
            text.AsSpan(pos, groupEnd - pos).CopyTo(compact[length..]);
            length += groupEnd - pos;
            shapeEnd = groupEnd;
            if (length >= MinIbanLength && IsIbanValid(compact[..length]))
                end = groupEnd;
            if (groupEnd + 1 >= text.Length || text[groupEnd] != ' ')
                break;
            pos = groupEnd + 1;
        }
        return end > 0;
    }
}

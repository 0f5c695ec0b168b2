using KudosRelay.Core.Kudos;
using Xunit;

namespace KudosRelay.Core.Tests.Kudos;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("Write to maria.ionescu+work@example.co.uk please", "Write to [email] please")]
    [InlineData("иван@пример.бг или ivan@mail.ru.", "[email] или [email].")]
    [InlineData("(a_b-c%d@sub-domain.example.com)", "([email])")]
    [InlineData("x@y.z and @ana and a@b and a@@b.com and ana@.com", "x@y.z and @ana and a@b and a@@b.com and ana@.com")]
    [InlineData("Call +359 88 123 4567 any time", "Call [phone] any time")]
    [InlineData("Call +40 721 234 567.", "Call [phone].")]
    [InlineData("Call +1 (555) 123-4567 today", "Call [phone] today")]
    [InlineData("My number is 0888 123 456", "My number is [phone]")]
    [InlineData("Sunați-mă la 0721 234 567, mulțumesc", "Sunați-mă la [phone], mulțumesc")]
    [InlineData("Sunați-mă la 0721234567", "Sunați-mă la [phone]")]
    [InlineData("Reach me at (555) 123-4567", "Reach me at [phone]")]
    [InlineData("Reach me at 555-123-4567", "Reach me at [phone]")]
    [InlineData("Obadete se na 02 987 6543", "Obadete se na [phone]")]
    [InlineData("Call 00359 88 123 4567", "Call [phone]")]
    [InlineData("Numbers: 0888 123 456 0888 765 432", "Numbers: [phone] [phone]")]
    [InlineData("tel:+40721234567", "tel:[phone]")]
    [InlineData("Тел.: 0888/123 456, благодаря", "Тел.: [phone], благодаря")]
    [InlineData("Card 4111 1111 1111 1111 was charged twice", "Card [card] was charged twice")]
    [InlineData("Card 4111-1111-1111-1111", "Card [card]")]
    [InlineData("Card 5500000000000004.", "Card [card].")]
    [InlineData("Amex 3782 822463 10005 exp 12/28", "Amex [card] exp 12/28")]
    [InlineData("Paid with 4111 1111 1111 1111 12 times", "Paid with [card] 12 times")]
    [InlineData("Charged 4111 1111 1111 1111 12.50 EUR", "Charged [card] 12.50 EUR")]
    [InlineData("Sună 0721 234 567 2x", "Sună [phone] 2x")]
    [InlineData("IBAN BG80 BNBG 9661 1020 3456 78 please", "IBAN [iban] please")]
    [InlineData("IBAN: RO49 AAAA 1B31 0075 9384 0000.", "IBAN: [iban].")]
    [InlineData("GB82 WEST 1234 5698 7654 32", "[iban]")]
    [InlineData("GB82WEST12345698765432, thanks", "[iban], thanks")]
    [InlineData("BG80 BNBG 9661 1020 3456 78 THANKS", "[iban] THANKS")]
    [InlineData("Reset here: https://example.com/reset?token=abc123 and log in", "Reset here: [link] and log in")]
    [InlineData("See https://app.example.com/#access_token=xyz.", "See [link].")]
    [InlineData("(www.example.com/track?id=42)", "([link])")]
    public void Personal_and_payment_data_is_replaced(string text, string expected) =>
        Assert.Equal(expected, Redactor.Redact(text));

    [Theory]
    [InlineData("Order 1234 5678 9012 3456 arrived")]
    [InlineData("Card 4111 1111 1111 1112 is not a real card")]
    [InlineData("Order 2026122512345678")]
    [InlineData("IBAN BG81 BNBG 9661 1020 3456 78 has a wrong check digit")]
    [InlineData("GB82 WEST 1234 5698 7654 33")]
    [InlineData("Delivery on 2026-12-25 or 25.12.2026 at 14:30")]
    [InlineData("Сума 1 234,56 лв, поръчка № 4471")]
    [InlineData("Total 1 234 567,89 lei")]
    [InlineData("It took 3 days and 2 calls, rated 10/10")]
    [InlineData("Our docs are at https://example.com/help/returns.")]
    [InlineData("Ticket #123456 and case 98765")]
    [InlineData("Version 10.2.3 fixed it, 99.5% better")]
    [InlineData("Ana was so helpful, thank you!")]
    [InlineData("C++ and C# are fine, @ana said so")]
    [InlineData("")]
    public void Text_without_such_data_is_left_exactly_as_it_was(string text) =>
        Assert.Same(text, Redactor.Redact(text));

    [Fact]
    public void Everything_in_one_message_is_redacted_together() =>
        Assert.Equal(
            "Hi, I'm [email], call [phone]. Refund to [iban] not [card]; order 1234 5678 9012 3456 on 2026-12-25. [link]",
            Redactor.Redact("Hi, I'm a.b@c.io, call +359 88 123 4567. Refund to BG80 BNBG 9661 1020 3456 78 not 4111 1111 1111 1111; order 1234 5678 9012 3456 on 2026-12-25. https://x.io/p?sid=1"));

    [Theory]
    [InlineData("Maria Ionescu", "FirstName", "Maria")]
    [InlineData("  Maria   Ionescu ", "FirstName", "Maria")]
    [InlineData("Ionescu, Maria", "FirstName", "Maria")]
    [InlineData("Maria", "FirstName", "Maria")]
    [InlineData("Mr. Smith", "FirstName", "a customer")]
    [InlineData("maria@example.com", "FirstName", "a customer")]
    [InlineData(null, "FirstName", "a customer")]
    [InlineData("", "FirstName", "a customer")]
    [InlineData("Maria Ionescu", "Anonymous", "a customer")]
    public void The_customer_is_named_by_first_name_or_as_a_customer(string? fullName, string naming, string expected) =>
        Assert.Equal(expected, Redactor.CustomerName(fullName, Enum.Parse<CustomerNaming>(naming)));

    [Theory]
    [InlineData("first-name", "FirstName")]
    [InlineData("anonymous", "Anonymous")]
    [InlineData(null, "FirstName")]
    public void Naming_is_read_from_configuration(string? value, string expected)
    {
        Assert.True(Redactor.TryParseNaming(value, out var naming));
        Assert.Equal(Enum.Parse<CustomerNaming>(expected), naming);
    }

    [Fact]
    public void An_unknown_naming_is_refused() => Assert.False(Redactor.TryParseNaming("full-name", out _));

    [Theory]
    [InlineData("Thanks, Maria Ionescu", "FirstName", "Thanks, Maria")]
    [InlineData("The Ionescu family thanks you", "FirstName", "The [name] family thanks you")]
    [InlineData("Thanks, Maria Ionescu", "Anonymous", "Thanks, [name]")]
    [InlineData("Maria here, thanks", "Anonymous", "[name] here, thanks")]
    [InlineData("Ionesculand is not a name", "FirstName", "Ionesculand is not a name")]
    public void The_customers_surname_is_taken_out_when_the_full_name_is_known(string text, string naming, string expected) =>
        Assert.Equal(expected, Redactor.Redact(text, "Maria Ionescu", Enum.Parse<CustomerNaming>(naming)));
}

using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Kudos;

namespace KudosRelay.Benchmarks;

/// <summary>What intake pays per item before anything is posted: score the text and redact it (target ≤ 20 µs for 500 characters).</summary>
[MemoryDiagnoser]
public class PositivityBenchmarks
{
    // ~500 characters each, with the kinds of personal data customers paste into feedback.
    private const string English =
        "Hi, I just wanted to say that Ana was so helpful, thank you! I had called three times about the refund for order " +
        "1234 5678 9012 3456 and nobody could explain it, but she was patient, very professional and not rude at all. She " +
        "rang me back on +359 88 123 4567 as promised and even e-mailed maria.ionescu@example.com with the details. The " +
        "money went to BG80 BNBG 9661 1020 3456 78 on 2026-12-25. Honestly the best support I have had in years, really " +
        "great work. The earlier wait was a bit slow, but that's fine. Thanks again!";

    private const string Russian =
        "Здравствуйте! Хочу поблагодарить Марию за помощь. Я звонил по номеру +7 912 345 6789 уже третий раз, и только " +
        "она смогла разобраться с возвратом по заказу 1234 5678 9012 3456. Очень вежливый и внимательный оператор, всё " +
        "объяснила, перезвонила, как обещала, и прислала письмо на ivan.petrov@example.ru. Не очень быстро, но результат " +
        "отличный: деньги пришли 25.12.2026, сумма 1 234,56 руб. Спасибо большое, вы лучшие! Ссылка на опрос: " +
        "https://survey.example.com/r?token=abcdef123456 — оценку поставил. Всего доброго!";

    private readonly PositivityOptions options = PositivityOptions.Default;
    private readonly Rating rating = new("csat5", 5);

    [GlobalSetup]
    public void Setup()
    {
        // Load the lexicons outside the measurement; each is parsed once per process.
        Positivity.Score(null, English, null, options);
        Positivity.Score(null, Russian, null, options);
    }

    [Benchmark(Baseline = true)]
    public int Positivity_and_redaction_english_500_chars() =>
        (int)Positivity.Score(rating, English, null, options).Polarity + Redactor.Redact(English).Length;

    [Benchmark]
    public int Positivity_and_redaction_russian_500_chars() =>
        (int)Positivity.Score(null, Russian, null, options).Polarity + Redactor.Redact(Russian).Length;

    [Benchmark]
    public int Positivity_only_english_500_chars() => (int)Positivity.Score(null, English, "en", options).Polarity;

    [Benchmark]
    public int Positivity_with_language_detection_english_500_chars() => (int)Positivity.Score(null, English, null, options).Polarity;

    [Benchmark]
    public int Redaction_only_english_500_chars() => Redactor.Redact(English).Length;
}

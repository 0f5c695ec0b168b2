using BenchmarkDotNet.Attributes;
using KudosRelay.Core.Tone;

namespace KudosRelay.Benchmarks;

/// <summary>
/// The tone guard on a typical ~300-character message (target ≤ 50 µs): a polite nudge that passes, and a commanding
/// note that is flagged several times and rewritten, in English and in Russian.
/// </summary>
[MemoryDiagnoser]
public class ToneGuardBenchmarks
{
    private static readonly Dictionary<string, (string Fine, string Flagged)> Texts = new()
    {
        ["en"] = (
            "Hi Ivo, Maria has been waiting for her refund since Tuesday morning. Could you take a look at CASE-42 when you have " +
            "a moment? If it belongs elsewhere, who should we ask? I'm happy to share the call notes or jump on a call. Thank you " +
            "so much for your help last time — the customer noticed, and so did we!",
            "Ivo, fix the refund for CASE-42 NOW. Maria has called three times and this is still not resolved, which is " +
            "unacceptable. You must send the confirmation by end of day or I'll tell your manager. Please call her immediately " +
            "and update the ticket ASAP!! Why is this taking so long?! Last warning."),
        ["ru"] = (
            "Здравствуйте, Иван! Мария ждёт возврата со вторника, с утра. Не могли бы вы посмотреть дело CASE-42, когда будет " +
            "минутка? Если это не к вам, подскажите, к кому обратиться. Я могу прислать заметки разговора или созвониться. " +
            "Большое спасибо за помощь в прошлый раз — клиент это заметил!",
            "Иван, исправьте возврат по делу CASE-42 СРОЧНО. Мария звонила три раза, а вопрос до сих пор не решён — это " +
            "недопустимо. Вы обязаны отправить подтверждение до конца дня, иначе я пожалуюсь вашему руководителю. Позвоните " +
            "ей немедленно!! Почему так долго?! Последнее предупреждение."),
    };

    private string fine = "";
    private string flagged = "";

    [Params("en", "ru")]
    public string Locale { get; set; } = "en";

    [GlobalSetup]
    public void Setup()
    {
        (fine, flagged) = Texts[Locale];
        // Compile the language's rules outside the measurement; they are compiled once per process.
        ToneGuard.Shipped.Check(fine, Locale);
    }

    [Benchmark(Baseline = true)]
    public int Check_a_polite_300_character_nudge() => ToneGuard.Shipped.Check(fine, Locale).Flags.Count;

    [Benchmark]
    public int Check_and_rewrite_a_commanding_300_character_note() => ToneGuard.Shipped.Check(flagged, Locale).SofterRewrite.Length;
}

using System.Text.RegularExpressions;

namespace Dunwell.Domain.Inbound;

/// <summary>What a customer's words may ask for, for an agent to act on: Dunwell never acts on them by itself.</summary>
[Flags]
public enum InboundSignals
{
    None = 0,

    /// <summary>Asks to stop contact or to be left alone.</summary>
    Stop = 1,

    /// <summary>Disputes the debt: not theirs, wrong amount, already paid, fraud.</summary>
    Dispute = 2,

    /// <summary>Names a lawyer or says they are represented.</summary>
    Attorney = 4,

    /// <summary>Tells of hardship: lost work, illness, cannot afford it.</summary>
    Hardship = 8,
}

/// <summary>
/// Finds the words in an inbound message that ask to stop, dispute, name an attorney or tell of hardship, in English and
/// Spanish. They are flags for a person, who reads the message; the one exception is an SMS whose whole text is a stop
/// keyword (<see cref="IsStopKeyword"/>), which carriers and the law expect to opt the number out at once.
/// </summary>
public static partial class InboundWords
{
    /// <summary>The keywords that opt a number out when they are the whole text (CTIA, carriers, 12 CFR 1006.6(e)).</summary>
    public static IReadOnlyList<string> StopKeywords { get; } = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];

    public static bool IsStopKeyword(string? body)
    {
        var word = body?.Trim().TrimEnd('.', '!', ' ').Trim();
        return word is { Length: > 0 } && StopKeywords.Contains(word.ToUpperInvariant(), StringComparer.Ordinal);
    }

    public static InboundSignals Flags(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return InboundSignals.None;
        }

        var flags = InboundSignals.None;
        if (IsStopKeyword(text) || StopWords().IsMatch(text))
        {
            flags |= InboundSignals.Stop;
        }

        if (DisputeWords().IsMatch(text))
        {
            flags |= InboundSignals.Dispute;
        }

        if (AttorneyWords().IsMatch(text))
        {
            flags |= InboundSignals.Attorney;
        }

        if (HardshipWords().IsMatch(text))
        {
            flags |= InboundSignals.Hardship;
        }

        return flags;
    }

    /// <summary>The flags in words for the agent: "asks to stop contact; names an attorney".</summary>
    public static string Describe(InboundSignals flags) => string.Join("; ", new[]
    {
        flags.HasFlag(InboundSignals.Stop) ? "asks to stop contact" : null,
        flags.HasFlag(InboundSignals.Dispute) ? "disputes the debt" : null,
        flags.HasFlag(InboundSignals.Attorney) ? "names an attorney" : null,
        flags.HasFlag(InboundSignals.Hardship) ? "tells of hardship" : null,
    }.Where(w => w is not null));

    private const RegexOptions Words = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"\b(stop (contacting|calling|texting|emailing|messaging|writing)|stop it|do ?n[o']t (contact|call|text|email|write)|do not (contact|call|text|email|write)|leave me alone|unsubscribe|cease (and desist|all|contact|communication)|no more (calls|texts|emails|messages|letters)|dejen? de (llamar|escribir|contactar|mandar|enviar)|no me (llamen|llame|escriban|escriba|contacten|contacte|molesten|moleste)|d[ée]jenme en paz|basta ya|cancelar (la )?suscripci[óo]n)\b", Words)]
    private static partial Regex StopWords();

    [GeneratedRegex(@"\b(disput(e|ed|ing)|not my (debt|account|bill)|(do ?n[o']t|do not|never) owe|never owed|wrong amount|already paid|paid (this|it) (off|already)|not mine|fraud(ulent)?|identity theft|disputo|disputa|no es mi deuda|no es m[ií]a|no debo|nunca deb[ií]|ya pagu[ée]|cantidad (equivocada|incorrecta)|fraude|robo de identidad)\b", Words)]
    private static partial Regex DisputeWords();

    [GeneratedRegex(@"\b(attorneys?|lawyers?|solicitors?|legal counsel|my counsel|represented by|legal representative|abogad[oa]s?|representante legal|licenciad[oa])\b", Words)]
    private static partial Regex AttorneyWords();

    [GeneratedRegex(@"\b(hardship|lost my (job|work|income)|laid off|unemployed|out of work|can ?n[o']t afford|cannot afford|can ?n[o']t pay|cannot pay|unable to pay|medical (bills|condition|emergency)|in (the )?hospital|illness|seriously ill|disabled|disability|bereavement|passed away|struggling|perd[ií] (mi|el) (trabajo|empleo)|desemplead[oa]|sin trabajo|no puedo pagar|no me alcanza|enferm[oa]|enfermedad|hospital|dificultades|no tengo dinero|falleci[óo])\b", Words)]
    private static partial Regex HardshipWords();
}

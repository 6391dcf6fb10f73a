namespace Dunwell.Domain.Messages;

/// <summary>The linter's stable rule ids, as findings, the API and docs/linter.md name them.</summary>
public static class RuleIds
{
    public const string ThreatArrest = "threat.arrest";
    public const string ThreatViolence = "threat.violence";
    public const string ThreatSeizure = "threat.seizure";
    public const string ThreatGarnishment = "threat.garnishment";
    public const string ThreatTellingOthers = "threat.telling-others";
    public const string Accusation = "accusation";
    public const string Insult = "insult";
    public const string Shaming = "shaming";
    public const string Harassment = "harassment";
    public const string FalseUrgency = "false-urgency";
    public const string CardNumber = "card-number";
    public const string EmptyThreatAgency = "empty-threat.agency";
    public const string EmptyThreatLegal = "empty-threat.legal";
    public const string EmptyThreatCreditReporting = "empty-threat.credit-reporting";
    public const string EmptyThreatServiceSuspension = "empty-threat.service-suspension";
    public const string EmptyThreatRepossession = "empty-threat.repossession";

    /// <summary>Suit or legal action named on a time-barred debt: unlawful even when legal action is enabled.</summary>
    public const string EmptyThreatTimeBarred = "empty-threat.time-barred";
    public const string RequiredDisclosure = "required.debt-collector-disclosure";
    public const string RequiredOptOut = "required.opt-out";
    public const string LimitedContent = "limited-content";
    public const string Overshadowing = "overshadowing";
    public const string PressureCapitals = "pressure.capitals";
    public const string PressureExclamations = "pressure.exclamations";
    public const string PressureWords = "pressure.words";
    public const string Jargon = "jargon";
    public const string ReadabilityGrade = "readability.grade";
    public const string ReadabilitySentenceLength = "readability.sentence-length";

    /// <summary>Info: a consequence is named and is enabled and lawful for this account; make sure it is true.</summary>
    public const string ConsequenceEnabled = "consequence.enabled";
}

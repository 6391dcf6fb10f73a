namespace Dunwell.Domain.Accounts;

public enum DebtorKind
{
    Person,
    Company,
}

/// <summary>Consumer debts fall under collection law (FDCPA, FCA CONC); commercial ones are B2B invoices.</summary>
public enum AccountKind
{
    Consumer,
    Commercial,
}

public enum AccountStatus
{
    Active,
    InArrangement,
    Disputed,
    Paid,
    Settled,
    Escalated,
    Closed,
    WrittenOff,
}

public enum ContactKind
{
    Phone,
    Email,
    Address,
}

/// <summary>Whether a contact point may be used. Opt-outs are per contact, so one opted-out email leaves the phone usable.</summary>
public enum ConsentState
{
    Unknown,
    Granted,
    OptedOut,
}

public enum InteractionChannel
{
    Call,
    Email,
    Sms,
    Letter,
    Portal,
    Note,
}

public enum InteractionDirection
{
    Outbound,
    Inbound,
    Internal,
}

public enum OutcomeCode
{
    None,
    RightPartyContact,
    ThirdPartyContact,
    NoAnswer,
    LeftMessage,
    WrongNumber,
    Promise,
    Dispute,
    Refused,
    CallbackRequested,
    Hardship,
    PaidInFull,
    Busy,
    Correction,

    /// <summary>The number is not in service: the call never reached it, like a busy tone (12 CFR 1006.14(b)(3)(ii)).</summary>
    NotInService,

    /// <summary>The call reached voicemail and no message was left: it connected, so it counts as a placed call.</summary>
    VoicemailNoMessage,
}

/// <summary>A flag on a debtor that changes how (or whether) they may be contacted. Each is held with its dates.</summary>
public enum DebtorFlagKind
{
    CeaseCommunication,
    RepresentedByAttorney,
    Bankruptcy,
    Deceased,
    Vulnerable,

    /// <summary>A standard Debt Respite Scheme breathing space: 60 days from its start unless an end is recorded.</summary>
    BreathingSpace,

    /// <summary>A mental health crisis breathing space: protected until its notified end is recorded, however long that takes.</summary>
    MentalHealthCrisisBreathingSpace,

    /// <summary>The debtor asked not to be called at all (12 CFR 1006.14(h)).</summary>
    OptOutCalls,
    OptOutSms,
    OptOutEmail,
    OptOutLetters,

    /// <summary>The debtor consented, directly, to contact at times that would otherwise be inconvenient (12 CFR 1006.6(b)(4)(i)).</summary>
    ConsentToInconvenientTimes,

    /// <summary>The debtor consented, directly, to further calls about the debt (12 CFR 1006.14(b)(3)(i)).</summary>
    ConsentToCalls,
}

public static class Roles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Agent, Supervisor, Admin, Auditor];
}

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
}

/// <summary>A flag on a debtor that changes how (or whether) they may be contacted. Each is held with its dates.</summary>
public enum DebtorFlagKind
{
    CeaseCommunication,
    RepresentedByAttorney,
    Bankruptcy,
    Deceased,
    Vulnerable,
    BreathingSpace,
}

public static class Roles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Agent, Supervisor, Admin, Auditor];
}

namespace Dunwell.Features.Creditors;

/// <summary>The creditor form as posted by the admin pages: every field a string, as typed.</summary>
public sealed class CreditorForm
{
    public string? Reference { get; set; }

    public string? Name { get; set; }

    public string? JurisdictionPack { get; set; }

    public string? TimeZone { get; set; }

    public string? DisplayName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public string? PostalAddress { get; set; }

    public string? Website { get; set; }

    public string? SenderName { get; set; }

    public string? SenderEmail { get; set; }

    public string? SmsSender { get; set; }

    public string? AccentColour { get; set; }

    /// <summary>
    /// What the form says, with every field present: a field left empty on the page clears it (the page always shows
    /// every field), which is what an empty string means to <see cref="CreditorRules.Apply"/>.
    /// </summary>
    public CreditorDetails Details => new(
        Name ?? "", JurisdictionPack ?? "", TimeZone ?? "", DisplayName ?? "", ContactEmail ?? "", ContactPhone ?? "", PostalAddress ?? "",
        Website ?? "", SenderName ?? "", SenderEmail ?? "", SmsSender ?? "", AccentColour ?? "");

    public static CreditorForm From(Data.Creditor c) => new()
    {
        Reference = c.Reference,
        Name = c.Name,
        JurisdictionPack = c.JurisdictionPack,
        TimeZone = c.TimeZone,
        DisplayName = c.DisplayName,
        ContactEmail = c.ContactEmail,
        ContactPhone = c.ContactPhone,
        PostalAddress = c.PostalAddress,
        Website = c.Website,
        SenderName = c.SenderName,
        SenderEmail = c.SenderEmail,
        SmsSender = c.SmsSender,
        AccentColour = c.AccentColour,
    };
}

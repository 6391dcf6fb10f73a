namespace Dunwell.Features.Templates;

/// <summary>
/// The sentences every message may need about paying, disputing and contact preferences, built from the creditor's
/// own details so a template never invents an address or a number.
/// </summary>
internal static class Phrases
{
    public static string HowToPay(string language, string reference, string? website, string phone)
    {
        var online = !string.IsNullOrWhiteSpace(website);
        return language switch
        {
            "es" => (online ? $"Puede pagar en {website}" : "Puede pagar por teléfono") + (phone.Length > 0 ? $" o llamando al {phone}" : "") + $", indicando la referencia {reference}.",
            "de" => (online ? $"Sie können unter {website} zahlen" : "Sie können telefonisch zahlen") + (phone.Length > 0 ? $" oder uns unter {phone} anrufen" : "") + $"; bitte geben Sie die Referenz {reference} an.",
            _ => (online ? $"You can pay at {website}" : "You can pay by phone") + (phone.Length > 0 ? $" or by calling {phone}" : "") + $", quoting reference {reference}.",
        };
    }

    public static string HowToDispute(string language, string? postalAddress, string email)
    {
        var where = string.Join(language switch { "es" => " o a ", "de" => " oder an ", _ => " or to " },
            new[] { email, postalAddress }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return language switch
        {
            "es" => $"Si cree que algo no es correcto, escríbanos a {where} y díganos qué parte considera errónea.",
            "de" => $"Wenn Sie meinen, dass etwas nicht stimmt, schreiben Sie uns an {where} und teilen Sie uns mit, welcher Teil Ihrer Ansicht nach falsch ist.",
            _ => $"If you think something here is wrong, write to us at {where} and tell us which part you disagree with.",
        };
    }

    public static string ContactPreferences(string language, string email, string phone)
    {
        var by = phone.Length > 0 ? phone : email;
        return language switch
        {
            "es" => $"Para cambiar cómo o cuándo nos comunicamos con usted, responda a este mensaje o llámenos al {by}.",
            "de" => $"Wenn Sie ändern möchten, wie oder wann wir Sie kontaktieren, antworten Sie auf diese Nachricht oder melden Sie sich unter {by}.",
            _ => $"To change how or when we contact you, reply to this message or get in touch on {by}.",
        };
    }
}

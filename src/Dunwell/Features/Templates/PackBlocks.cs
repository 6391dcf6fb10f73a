using Dunwell.Data;
using Dunwell.Domain.Accounts;

namespace Dunwell.Features.Templates;

/// <summary>What the pack's blocks need to know about the message and the account.</summary>
public sealed record BlockFacts(
    string? Pack, AccountKind Kind, string Language, TemplateChannel Channel, string? ValidationPeriodEnd, string ContactEmail, string ContactPhone);

/// <summary>
/// The words the law requires, written by the rule pack rather than by template authors. A template places them with
/// slots ({{ required.opt_out }}, {{ required.disclosure }}, {{ required.dispute_rights }}); a slot the pack does not
/// need renders empty. A template cannot be saved without the slots its channel needs under its pack, and a render
/// that somehow lacks a block gets it added at the end.
/// </summary>
public static class PackBlocks
{
    public const string UsPack = "US-FDCPA";

    public const string Disclosure = "disclosure";
    public const string OptOut = "opt_out";
    public const string DisputeRights = "dispute_rights";

    /// <summary>
    /// The slots a template must place. For the default set (no creditor, so no pack) the slots of every pack, since
    /// any creditor may use it. Every email and SMS carries the opt-out (Reg F 1006.6(e)); under the US pack, every
    /// message carries the debt-collector disclosure (1006.18(e)) and every email and letter the dispute rights.
    /// </summary>
    public static IReadOnlyList<string> RequiredSlots(TemplateChannel channel, string? pack)
    {
        var us = pack is null || pack == UsPack;
        return channel switch
        {
            TemplateChannel.Email => us ? [Disclosure, OptOut, DisputeRights] : [OptOut],
            TemplateChannel.Sms => us ? [Disclosure, OptOut] : [OptOut],
            _ => us ? [Disclosure, DisputeRights] : [],
        };
    }

    /// <summary>The slots a template source places, however spaced or filtered: "{{ required.opt_out }}".</summary>
    public static bool Places(string? source, string slot) =>
        source is not null && System.Text.RegularExpressions.Regex.IsMatch(source, @"\{\{-?\s*required\." + slot + @"\b");

    /// <summary>The blocks for one message; empty where the pack requires nothing.</summary>
    public static IReadOnlyDictionary<string, string> For(BlockFacts facts)
    {
        var usConsumer = facts.Pack == UsPack && facts.Kind == AccountKind.Consumer;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Disclosure] = usConsumer ? DisclosureText(facts.Language) : "",
            [OptOut] = facts.Channel switch
            {
                TemplateChannel.Email => EmailOptOut(facts.Language, facts.ContactEmail),
                TemplateChannel.Sms => SmsOptOut(facts.Language),
                _ => "",
            },
            [DisputeRights] = usConsumer && facts.Channel != TemplateChannel.Sms ? DisputeText(facts.Language, facts.ValidationPeriodEnd) : "",
        };
    }

    /// <summary>
    /// A limited-content voicemail (Reg F 1006.2(j)): a business name that does not say debt collection, a person to
    /// call, a number, a request to call back, and nothing about the debt, so that whoever hears it learns nothing.
    /// </summary>
    public static string Voicemail(string agentName, string businessName, string phone, string language) => language switch
    {
        "es" => $"Hola, le habla {agentName} de {businessName}. Por favor, devuélvanos la llamada al {phone}. Puede hablar con cualquiera de nuestros representantes. Gracias.",
        _ => $"Hello, this is {agentName} from {businessName}. Please call us back at {phone}. You can speak to any of our representatives. Thank you.",
    };

    private static string DisclosureText(string language) => language switch
    {
        "es" => "Esta comunicación proviene de un cobrador de deudas. Es un intento de cobrar una deuda y cualquier información obtenida se utilizará para ese fin.",
        _ => "This communication is from a debt collector. This is an attempt to collect a debt and any information obtained will be used for that purpose.",
    };

    private static string EmailOptOut(string language, string email) => language switch
    {
        "es" => $"Si no desea recibir más correos electrónicos nuestros en esta dirección, responda con la palabra STOP o escriba a {email}.",
        "de" => $"Wenn Sie keine E-Mails mehr von uns an diese Adresse erhalten möchten, antworten Sie mit STOP oder schreiben Sie an {email}.",
        _ => $"To stop receiving these emails at this address, reply STOP or write to {email}.",
    };

    private static string SmsOptOut(string language) => language switch
    {
        "es" => "Responda STOP para no recibir más mensajes.",
        "de" => "Antworten Sie STOP, um keine SMS mehr zu erhalten.",
        _ => "Reply STOP to stop texts.",
    };

    private static string DisputeText(string language, string? periodEnd) => (language, periodEnd) switch
    {
        ("es", { } end) => $"Tiene derecho a disputar toda o parte de esta deuda. Si nos escribe a más tardar el {end} para disputarla o para pedir el nombre y la dirección del acreedor original, debemos suspender el cobro hasta enviarle esa información.",
        ("es", null) => "Si cree que no debe esta deuda, o que el importe no es correcto, díganoslo y lo revisaremos antes de seguir.",
        (_, { } end) => $"You have the right to dispute all or part of this debt. If you write to us by {end} to dispute it, or to ask for the name and address of the original creditor, we must stop collection until we send you that information.",
        _ => "If you believe you do not owe this debt, or that the amount is wrong, tell us and we will look into it before we go any further.",
    };
}

namespace Dunwell.Domain.Messages.Languages;

/// <summary>The linter's rules for German text (business-to-business dunning in the EU).</summary>
public static class German
{
    public static LanguageRules Rules { get; } = new("de")
    {
        Phrases =
        [
            new(RuleIds.ThreatArrest, LintSeverity.Block,
                @"\b(?:Verhaftung|verhaftet|Gefängnis|Haft|Polizei|Strafanzeige|strafrechtlich\w*|Staatsanwalt\w*|Betrugsanzeige)\b",
                "Mentions arrest, police or criminal charges: an unpaid invoice is not a crime.",
                "Lassen Sie uns gemeinsam eine Lösung finden."),
            new(RuleIds.ThreatViolence, LintSeverity.Block,
                @"\b(?:(?:werden|wird) es bereuen|passen Sie (?:bloß|nur) auf|Sie werden schon sehen)",
                "Reads as a threat of harm.", "Wir möchten das gerne mit Ihnen klären."),
            new(RuleIds.ThreatSeizure, LintSeverity.Block,
                @"\b(?:pfänden|gepfändet|Pfändung|Sachpfändung|beschlagnahm\w*|Gerichtsvollzieher\w*|Zwangsvollstreckung\w*)\b",
                "Threatens seizure or enforcement, which needs a title this message does not have.",
                "Bitte melden Sie sich, damit wir eine Lösung vereinbaren können."),
            new(RuleIds.ThreatGarnishment, LintSeverity.Block,
                @"\b(?:Lohn|Gehalts|Konto)pfändung\w*|\bIhr (?:Konto|Gehalt) (?:sperren|einfrieren) lassen",
                "Threatens to take wages or bank money, which needs a title this message does not have.",
                "Wenn die Zahlung gerade schwerfällt, sprechen Sie uns an: Wir finden einen Zahlungsplan."),
            new(RuleIds.ThreatTellingOthers, LintSeverity.Block,
                @"\b(?:Ihre?n?|Ihrer) (?:Geschäftspartner|Kunden|Lieferanten|Hausbank|Bank|Mitarbeiter|Arbeitgeber|Familie|Nachbarn|Branche)\s+(?:\w+\s+){0,3}?(?:informieren|benachrichtigen|kontaktieren|in Kenntnis setzen|davon erfahren|Bescheid geben)",
                "Threatens to tell other people about the debt: it harms the relationship and may be unlawful.",
                "Wir besprechen diese Angelegenheit ausschließlich mit Ihnen."),
            new(RuleIds.Accusation, LintSeverity.Block,
                @"\bSie (?:sind|haben) (?:ein |eine )?(?:Betrüger\w*|Lügner\w*|unzuverlässig|unseriös|zahlungsunwillig|gelogen|betrogen)\b|\b(?:Ihre|diese) (?:schlechte )?(?:Zahlungsmoral|Unzuverlässigkeit|Dreistigkeit)\b|\bSie (?:weigern sich|ignorieren (?:uns|unsere|sämtliche))\b|\bböswillig\w*",
                "Accuses the customer; we do not know why the invoice is unpaid.",
                "Wir haben Ihre Zahlung noch nicht erhalten. Falls es einen Grund gibt, sagen Sie uns bitte Bescheid."),
            new(RuleIds.Insult, LintSeverity.Block,
                @"\b(?:unverschämt\w*|Frechheit|lächerlich\w*|inkompetent\w*|unfähig\w*|Schmarotzer|dreist\w*)\b",
                "Insults the customer.", "Vielen Dank für Ihre Zeit."),
            new(RuleIds.Shaming, LintSeverity.Block,
                @"\b(?:schämen|Schande|bloßstell\w*|öffentlich (?:machen|bekannt machen|anprangern)|an den Pranger|Schuldnerliste|Ihr (?:guter )?Ruf (?:wird|würde|könnte)|Ihren (?:guten )?Ruf (?:schädigen|ruinieren))",
                "Tries to shame the customer.", "Wir verstehen, dass nicht immer alles nach Plan läuft."),
            new(RuleIds.Harassment, LintSeverity.Block,
                @"\b(?:(?:täglich|jeden Tag|stündlich|ununterbrochen) (?:anrufen|kontaktieren|schreiben)|(?:in Ihrem Büro|in Ihrer Firma|bei Ihnen (?:vor Ort)?) (?:auftauchen|vorbeikommen|erscheinen)|(?:werden|lassen) nicht locker)",
                "Reads as harassment: repeated or unannounced contact used to pressure.",
                "Sie erreichen uns, wann es Ihnen passt."),
            new(RuleIds.FalseUrgency, LintSeverity.Block,
                @"\b(?:letzte (?:Chance|Warnung|Gelegenheit)|(?:innerhalb|binnen) (?:von )?(?:24|48) Stunden|die Zeit läuft (?:ab|davon)|bevor es zu spät ist|nur noch heute|jetzt oder nie)\b",
                "Creates urgency that is not real: no deadline or step stands behind it.",
                "Bitte melden Sie sich bis zu einem Datum, das Ihnen passt."),
            new(RuleIds.FalseUrgency, LintSeverity.Block, @"\b(?:letzte|finale|allerletzte) Mahnung\b",
                "Calls it final, but the creditor has no further step enabled: nothing follows it.", "Zahlungserinnerung")
            { Kind = PhraseKind.WhenNothingEnabled },

            new(RuleIds.EmptyThreatAgency, LintSeverity.Block, @"\bInkasso\w*",
                "Names referral to a collection agency.", "Wir möchten die Angelegenheit direkt mit Ihnen klären.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Agency },
            new(RuleIds.EmptyThreatLegal, LintSeverity.Block,
                @"\b(?:(?:rechtliche|gerichtliche|juristische)n? (?:Schritte|Maßnahmen|Verfahren)|gerichtliche[sn]? (?:Mahn)?verfahren|Mahnbescheid\w*|Klage\w*|verklagen|vor Gericht|gerichtlich\w* (?:geltend|durchsetzen)|unsere[mn]? (?:Rechts)?[Aa]nw(?:alt|älte|altskanzlei)|(?:an|einem) (?:Rechts)?[Aa]nwalt (?:übergeben|weiterleiten|weitergeben))",
                "Names legal action.", "Wir möchten das ohne weitere Schritte mit Ihnen klären.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Legal },
            new(RuleIds.EmptyThreatCreditReporting, LintSeverity.Block,
                @"\b(?:SCHUFA|Creditreform|Bonität\w*|Auskunftei\w*|Kreditauskunft|Kreditwürdigkeit|Wirtschaftsauskunftei\w*)\b",
                "Names credit reporting.", "Eine Zahlung oder ein Zahlungsplan macht es für Sie einfach.")
            { Kind = PhraseKind.Consequence, Names = Consequence.CreditReporting },
            new(RuleIds.EmptyThreatServiceSuspension, LintSeverity.Block,
                @"\b(?:(?:Lieferungen?|Leistungen?|Dienste?|Dienstleistungen?|Zugang|Zugänge|Belieferung|Service|Versorgung|Konto)\s+(?:\w+\s+){0,3}?(?:einstellen|einzustellen|sperren|zu sperren|aussetzen|auszusetzen|stoppen|unterbrechen|eingestellt|gesperrt|ausgesetzt)|Liefersperre|Lieferstopp|Leistungssperre)",
                "Names suspension of service or deliveries.", "Ihre Lieferungen laufen weiter, während wir das gemeinsam klären.")
            { Kind = PhraseKind.Consequence, Names = Consequence.ServiceSuspension },
            new(RuleIds.EmptyThreatRepossession, LintSeverity.Block,
                @"\b(?:(?:Ware|Waren|Maschine|Maschinen|Geräte?|Fahrzeug)\s+(?:\w+\s+){0,3}?(?:zurückholen|zurückfordern|abholen|zurücknehmen|herausverlangen)|Herausgabe der (?:Ware|Waren|Geräte|Maschinen?)|Eigentumsvorbehalt\w* geltend)",
                "Names repossession of goods.", "Wir möchten einen Plan vereinbaren, damit Sie die Ware weiter nutzen können.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Repossession },

            new(RuleIds.PressureWords, LintSeverity.Warn, @"\b(?:dringend\w*|umgehend|unverzüglich|sofort)\b",
                "Pressure wording; it rarely helps and can alarm.", "bitte bald")
            { Negatable = false },
        ],
        Jargon =
        [
            new(@"\bgemäß\b", "nach"),
            new(@"\bnebst\b", "mit"),
            new(@"\bVerbindlichkeit(?:en)?\b", "offener Betrag"),
            new(@"\bInverzugsetzung\b", "Mahnung"),
            new(@"\bBegleichung\b", "Zahlung"),
            new(@"\bbinnen\b", "innerhalb"),
            new(@"\bzwecks\b", "für"),
            new(@"\bdiesseits\b", "wir"),
            new(@"\bvorbehaltlich\b", "außer"),
            new(@"\bRemittance\b", "Zahlung"),
        ],
        NegationWord = LanguageRules.Compile(@"^(?:nicht|kein|keine|keinen|keinem|keiner|keines|niemals|nie|ohne|weder)$"),
        NegationReset = LanguageRules.Compile(@"^(?:wir|werden|wird|dann|müssen|folgt|folgen)$"),
        NegationAfter = LanguageRules.Compile(@"^\W*(?:\w+\W+){0,2}?(?:(?:ist|sind|wird|werden|war)\s+(?:nicht|keineswegs|nie)|nicht\s+(?:geplant|vorgesehen|beabsichtigt))\b"),
        ClauseBreak = LanguageRules.Compile(@"[.;:!?\n,]|\b(?:aber|wenn|falls|sofern|sonst|andernfalls|weil|da|obwohl|jedoch)\b"),
        Disclosure = LanguageRules.Compile(@"\b(?:Inkassounternehmen|Inkassodienst|Forderungseinzug)\b"),
        OptOut = LanguageRules.Compile(@"\b(?:abmelden|Abmeldung|abbestellen|STOP|keine (?:weiteren )?(?:E-Mails|Nachrichten|SMS)|Kontakteinstellungen|Kontaktpräferenzen)\b"),
        DebtWords = LanguageRules.Compile(@"\b(?:Schulden|Forderung\w*|Rechnung\w*|offen\w*|Zahlung\w*|zahlen|Betrag|Mahnung\w*|Inkasso\w*|Gläubiger)\b|[€]\s?\d"),
        CapitalsAllowed = new HashSet<string>(["STOP", "EU", "EUR", "USD", "GMBH", "AG", "KG", "UG", "OHG", "IBAN", "BIC", "USt", "UST", "PDF", "SMS", "ID", "BGB", "HGB", "SCHUFA", "OK"], StringComparer.Ordinal),
        Grade = Readability.WienerSachtext,
        RequiredWording = new Dictionary<Requirement, string>
        {
            [Requirement.DebtCollectorDisclosure] = "Diese Nachricht kommt von einem Inkassounternehmen.",
            [Requirement.OptOut] = "Wenn Sie keine weiteren E-Mails wünschen, können Sie sich hier abmelden.",
            [Requirement.LimitedContent] = "Guten Tag, hier ist Anna Schmidt. Bitte rufen Sie mich unter 030 1234567 zurück.",
        },
    };
}

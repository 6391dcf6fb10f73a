namespace Dunwell.Domain.Messages.Languages;

/// <summary>The linter's rules for English text.</summary>
public static class English
{
    public static LanguageRules Rules { get; } = new("en")
    {
        Phrases =
        [
            // Threats and intimidation: never acceptable, whatever the policy.
            new(RuleIds.ThreatArrest, LintSeverity.Block,
                @"\b(?:arrest(?:ed)?|jail(?:ed)?|prison|imprison\w*|police|criminal (?:charges?|proceedings|offen[cs]e|case|record)|prosecut\w*)\b",
                "Mentions arrest, jail, police or criminal charges: not paying a debt is not a crime, and saying so is a false threat.",
                "Let us know what you can manage and we will work out a plan together."),
            new(RuleIds.ThreatViolence, LintSeverity.Block,
                @"\b(?:hurt you|harm you|break your \w+|you(?:'ll| will) (?:be sorry|regret (?:it|this))|watch your back|something (?:bad|unpleasant) (?:will|could|might) happen)",
                "Reads as a threat of harm.", "We would like to help you sort this out."),
            new(RuleIds.ThreatSeizure, LintSeverity.Block,
                @"\b(?:seiz(?:e|ed|ing|ure)|confiscat\w*|bailiffs?|enforcement agents?|sheriff|take (?:away )?your (?:house|home|car|property|belongings|possessions|furniture))\b",
                "Threatens seizure of property, which needs a court order this message does not have.",
                "Please get in touch so we can agree a way forward."),
            new(RuleIds.ThreatGarnishment, LintSeverity.Block,
                @"\b(?:garnish\w*|attachment of earnings|(?:take|deduct|dock) (?:money |it )?(?:straight )?(?:from|out of) your (?:wages|salary|pay(?:check)?|bank account)|freeze your (?:bank )?account)",
                "Threatens to take wages or bank money, which needs a court order this message does not have.",
                "If paying is hard right now, tell us and we will look at a plan that fits."),
            new(RuleIds.ThreatTellingOthers, LintSeverity.Block,
                @"\b(?:tell|inform|contact|call|phone|notify|write to|speak (?:to|with)|visit|let)\s+(?:your\s+)?(?:employer|boss|manager|workplace|colleagues|co-?workers|family|relatives|parents|spouse|husband|wife|children|neighbou?rs|friends)\b|\byour (?:employer|boss|family|neighbou?rs|friends|colleagues) (?:will|would|could|may) (?:know|find out|hear|be told)",
                "Threatens to tell other people about the debt, which the law forbids.",
                "We will only ever discuss this with you."),

            // Accusations, insults, shaming, harassment.
            new(RuleIds.Accusation, LintSeverity.Block,
                @"\byou(?:'re| are| have been) (?:a |an )?(?:liar|thief|cheat|fraud(?:ster)?|crook|scammer|dishonest|irresponsible|lying|stealing|avoiding us)\b|\byou (?:lied|stole|cheated|(?:have )?refused to pay|refuse to pay|chose not to pay|have chosen not to pay|deliberately \w+|keep avoiding|(?:have )?ignored (?:us|our|every|all))\b|\b(?:your|this) (?:fraud|dishonesty|theft)\b",
                "Accuses the customer; we do not know why a payment was missed.",
                "We have not received your payment yet. If something has changed, please let us know."),
            new(RuleIds.Insult, LintSeverity.Block,
                @"\b(?:deadbeats?|idiots?|stupid|pathetic|useless|lazy|scum|losers?|disgrace(?:ful)?|freeloaders?|moron|incompetent|clueless|shameless)\b",
                "Insults the customer.", "Thank you for your time; we are here to help."),
            new(RuleIds.Shaming, LintSeverity.Block,
                @"\b(?:shame(?:ful)?|ashamed|embarrass\w*|humiliat\w*|everyone will (?:know|find out|see)|name and shame|publish your name|public(?:ly)? (?:list|name|post)\w*|your (?:good )?(?:name|reputation) (?:will|would|could))",
                "Tries to shame the customer.", "We understand things do not always go to plan."),
            new(RuleIds.Harassment, LintSeverity.Block,
                @"\b(?:(?:keep|continue) (?:calling|phoning|texting|emailing|contacting|chasing)(?: you)? until|call(?:ing)? (?:you )?(?:every day|daily|every hour|repeatedly|day and night|again and again|at all hours)|(?:won't|will not|never) stop (?:calling|contacting|texting|chasing)|(?:come|turn up|show up|visit) (?:to |at )?your (?:home|house|door|work|workplace|office)|we know where you (?:live|work))",
                "Reads as harassment: repeated or unannounced contact used to pressure.",
                "You can reach us at a time that suits you."),

            // False urgency.
            new(RuleIds.FalseUrgency, LintSeverity.Block,
                @"\b(?:last chance|final (?:chance|warning|opportunity)|act (?:now|immediately|today),? (?:or|before)|time is running out|before it'?s too late|(?:within|in the next) (?:24|48|twenty-four|forty-eight) hours|today only|now or never)\b",
                "Creates urgency that is not real: no deadline or step stands behind it.",
                "Please get in touch by a date that works for you."),
            new(RuleIds.FalseUrgency, LintSeverity.Block, @"\bfinal (?:notice|demand|reminder)\b",
                "Calls it final, but the creditor has no further step enabled: nothing follows it.", "Reminder")
            { Kind = PhraseKind.WhenNothingEnabled },

            // Consequences: allowed only when enabled for this creditor and account, and lawful.
            new(RuleIds.EmptyThreatAgency, LintSeverity.Block,
                @"\b(?:(?:debt )?collections? agenc(?:y|ies)|external (?:debt )?collectors?|third[- ]party collectors?|collections? firm|(?:pass|hand|send|refer|transfer|place|assign)(?:ed|ing)? (?:your|this|the) (?:account|debt|balance|matter) (?:on |over )?to (?:a |an |our )?(?:external |outside )?(?:collection|collector|debt))",
                "Names referral to a collection agency.", "We would like to agree a way forward with you directly.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Agency },
            new(RuleIds.EmptyThreatLegal, LintSeverity.Block,
                @"\b(?:legal (?:action|proceedings|steps|measures)|court (?:action|proceedings|claim|order)|(?:in|to) court|county court judg(?:e)?ments?|CCJ|sue you|sued|suing|lawsuit|(?:file|issue|bring) (?:a )?(?:suit|claim|case) against you|judg(?:e)?ment against you|our (?:solicitors|lawyers|attorneys) (?:will|may|would)|refer(?:red)? (?:it|this|your account|the (?:account|debt|matter)) to (?:our |a )?(?:solicitors?|lawyers?|attorneys?|legal (?:team|department)))",
                "Names legal action.", "We would like to resolve this with you without any further steps.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Legal },
            new(RuleIds.EmptyThreatCreditReporting, LintSeverity.Block,
                @"\b(?:credit (?:bureaus?|reference agenc(?:y|ies)|reporting agenc(?:y|ies))|Experian|Equifax|TransUnion|(?:affect|damage|harm|hurt|ruin|impact|lower|appear on|show on|mark on|recorded on|added to|reported to|report (?:it |this |the debt |your account |the account )?to) (?:your |the |a )?credit (?:file|report|record|rating|score|history|bureaus?|reference agenc(?:y|ies))?)",
                "Names credit reporting.", "Paying or agreeing a plan keeps things simple for you.")
            { Kind = PhraseKind.Consequence, Names = Consequence.CreditReporting },
            new(RuleIds.EmptyThreatServiceSuspension, LintSeverity.Block,
                @"\b(?:(?:suspend|disconnect|cut off|switch off|turn off|stop|pause|block|restrict)(?:ed|ing)? (?:your |the )?(?:service|supply|supplies|account access|deliveries|subscription|connection|access|orders)|(?:service|supply|access|deliveries|connection) (?:will|may|could|would) be (?:suspended|disconnected|cut off|stopped|restricted)|service suspension)\b",
                "Names suspension of service.", "Your service continues while we sort this out together.")
            { Kind = PhraseKind.Consequence, Names = Consequence.ServiceSuspension },
            new(RuleIds.EmptyThreatRepossession, LintSeverity.Block,
                @"\b(?:repossess\w*|(?:take|collect) back (?:the|your) (?:car|vehicle|goods|equipment|items?|machine)|recover (?:the|your) (?:car|vehicle|goods|equipment))",
                "Names repossession.", "We would like to agree a plan so you can keep using what you bought.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Repossession },

            // Overshadowing of dispute rights during the validation period (US pack).
            new(RuleIds.Overshadowing, LintSeverity.Block,
                @"\b(?:pay (?:this |the (?:full )?(?:balance|amount) |it |in full )?(?:immediately|at once|right away|today|now)|immediate payment|must (?:be )?pa(?:y|id) (?:in full )?within \d+ days|(?:ignore|disregard) (?:the|this|any) (?:dispute|notice|validation)|(?:no|not) (?:point|use) (?:in )?disput\w*|disputing (?:will not|won't) (?:help|stop|change))",
                "Demands payment in a way that overshadows the customer's right to dispute during the validation period.",
                "You can pay, or dispute the debt, by the date shown in this notice.")
            { Kind = PhraseKind.Overshadowing },

            // Pressure words (warn).
            new(RuleIds.PressureWords, LintSeverity.Warn, @"\b(?:urgent(?:ly)?|immediately|asap|without (?:further )?delay)\b",
                "Pressure wording; it rarely helps and can alarm.", "when you can")
            { Negatable = false },
        ],
        Jargon =
        [
            new(@"\bremittance\b", "payment"),
            new(@"\bremit\b", "pay"),
            new(@"\barrears\b", "missed payments"),
            new(@"\bpursuant to\b", "under"),
            new(@"\boutstanding indebtedness\b", "what you owe"),
            new(@"\bindebtedness\b", "debt"),
            new(@"\bforthwith\b", "now"),
            new(@"\bherewith\b", "with this message"),
            new(@"\bhereinafter\b", "from now on"),
            new(@"\baforementioned\b", "this"),
            new(@"\bnotwithstanding\b", "despite"),
            new(@"\bin lieu of\b", "instead of"),
            new(@"\bdelinquen(?:t|cy)\b", "overdue"),
            new(@"\bprior to\b", "before"),
            new(@"\bin accordance with\b", "under"),
            new(@"\bper our records\b", "our records show"),
            new(@"\bthe undersigned\b", "we"),
            new(@"\bkindly\b", "please"),
        ],
        NegationWord = LanguageRules.Compile(@"^(?:not|never|no|without|neither|nor|cannot|\w+n't|\w+n’t)$"),
        NegationReset = LanguageRules.Compile(@"^(?:we|we'll|we’ll|i|i'll|they|they'll|will|shall|means|leads?|results?|then|may|might|could|would)$"),
        NegationAfter = LanguageRules.Compile(@"^\W*(?:\w+\W+){0,2}?(?:(?:is|are|will|would|was|has|have|do|does|did|shall)\s+(?:not|never)|isn't|aren't|won't|wasn't|hasn't|haven't|doesn't)\b"),
        ClauseBreak = LanguageRules.Compile(@"[.;:!?\n,]|\b(?:but|if|unless|otherwise|because|so|although|however)\b"),
        Disclosure = LanguageRules.Compile(@"\b(?:debt collector|attempt(?:ing)? to collect a debt)\b"),
        OptOut = LanguageRules.Compile(@"\b(?:(?:reply|text|send) STOP|opt[- ]out|unsubscribe|stop (?:receiving|getting) (?:these|our|emails|texts|messages)|contact preferences|change how we contact you)\b"),
        DebtWords = LanguageRules.Compile(@"\b(?:debts?|owe[sd]?|owing|balance|overdue|past due|payments?|pay|collect\w*|arrears|creditor|amount due|account)\b|[$£€]\s?\d"),
        CapitalsAllowed = new HashSet<string>(["STOP", "HELP", "US", "UK", "EU", "FCA", "FDCPA", "CONC", "CCJ", "PDF", "SMS", "VAT", "IBAN", "BIC", "ID", "USD", "GBP", "EUR", "OK", "LTD", "LLC", "INC", "PLC", "PIN", "FAQ", "UTC", "AM", "PM", "A", "I"], StringComparer.Ordinal),
        Grade = Readability.FleschKincaid,
        RequiredWording = new Dictionary<Requirement, string>
        {
            [Requirement.DebtCollectorDisclosure] = "This is a communication from a debt collector.",
            [Requirement.OptOut] = "To stop receiving these messages, reply STOP or change your contact preferences.",
            [Requirement.LimitedContent] = "Hello, this is Jane Doe. Please call me back at 555-0100.",
        },
    };
}

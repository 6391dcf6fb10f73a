namespace Dunwell.Domain.Messages.Languages;

/// <summary>The linter's rules for Spanish text (the US pack's second language).</summary>
public static class Spanish
{
    public static LanguageRules Rules { get; } = new("es")
    {
        Phrases =
        [
            new(RuleIds.ThreatArrest, LintSeverity.Block,
                @"\b(?:arrest\w*|c[áa]rcel|prisi[óo]n|polic[íi]a|detenid[oa]s?|denuncia penal|cargos penales|delito|proceso penal)\b",
                "Mentions arrest, jail, police or criminal charges: not paying a debt is not a crime.",
                "Díganos qué puede pagar y buscaremos juntos un plan."),
            new(RuleIds.ThreatViolence, LintSeverity.Block,
                @"\b(?:le (?:haremos|vamos a hacer) daño|se arrepentir[áa]|cuídese|tenga cuidado con lo que)",
                "Reads as a threat of harm.", "Queremos ayudarle a resolver esto."),
            new(RuleIds.ThreatSeizure, LintSeverity.Block,
                @"\b(?:embargar(?:emos|le)? (?:su|sus) (?:casa|vivienda|bienes|propiedad(?:es)?|coche|auto|carro|cuenta)|embargo de (?:sus )?bienes|incautar\w*|confiscar\w*|quitar(?:le|emos)? (?:su|la) (?:casa|vivienda|coche|auto|propiedad))",
                "Threatens seizure of property, which needs a court order this message does not have.",
                "Póngase en contacto con nosotros para acordar una solución."),
            new(RuleIds.ThreatGarnishment, LintSeverity.Block,
                @"\b(?:retenci[óo]n (?:de|del) (?:su )?(?:salario|sueldo|n[óo]mina)|(?:retener|descontar|embargar)(?:emos|le)? (?:de )?su (?:salario|sueldo|n[óo]mina)|embargo (?:de|del) (?:su )?(?:salario|sueldo|n[óo]mina)|congelar(?:emos)? su cuenta)",
                "Threatens to take wages or bank money, which needs a court order this message does not have.",
                "Si ahora le resulta difícil pagar, díganos y veremos un plan a su medida."),
            new(RuleIds.ThreatTellingOthers, LintSeverity.Block,
                @"\b(?:informar|avisar|contactar|llamar|hablar con|contar|notificar)(?:emos|le|les)? (?:a )?su (?:empleador|jefe|empresa|trabajo|familia|familiares|vecinos|esposa|esposo|pareja|hijos|padres|amigos)\b|\bsu (?:jefe|empleador|familia|vecinos) (?:se enterar[áa]n?|sabr[áa]n?)",
                "Threatens to tell other people about the debt, which the law forbids.",
                "Solo hablaremos de este asunto con usted."),
            new(RuleIds.Accusation, LintSeverity.Block,
                @"\b(?:(?:usted )?es (?:un |una )?(?:mentiros[oa]|ladr[óo]n|ladrona|estafador[a]?|trampos[oa]|irresponsable|deshonest[oa])|usted (?:minti[óo]|rob[óo]|se niega a pagar|se neg[óo] a pagar|ha ignorado|ignor[óo])|est[áa] (?:mintiendo|robando|evitándonos))\b",
                "Accuses the customer; we do not know why a payment was missed.",
                "Todavía no hemos recibido su pago. Si algo ha cambiado, cuéntenos."),
            new(RuleIds.Insult, LintSeverity.Block,
                @"\b(?:sinvergüenza|idiota|est[úu]pid[oa]|in[úu]til|vag[oa]|gorr[óo]n|rater[oa]|pat[ée]tic[oa]|moros[oa] profesional)\b",
                "Insults the customer.", "Gracias por su tiempo; estamos para ayudarle."),
            new(RuleIds.Shaming, LintSeverity.Block,
                @"\b(?:verg[üu]enza|avergonz\w*|humill\w*|todos (?:sabr[áa]n|se enterar[áa]n)|su (?:buen )?nombre (?:quedar[áa]|estar[áa])|lista p[úu]blica)",
                "Tries to shame the customer.", "Entendemos que las cosas no siempre salen como se planean."),
            new(RuleIds.Harassment, LintSeverity.Block,
                @"\b(?:(?:seguiremos|continuaremos) (?:llam[áa]ndole|llamando|escribiendo|contact[áa]ndole)(?: hasta)?|le llamaremos (?:todos los d[íi]as|cada d[íi]a|cada hora|sin parar)|(?:iremos|pasaremos|nos presentaremos) (?:a|en|por) su (?:casa|domicilio|trabajo)|no (?:dejaremos|pararemos) de (?:llamar|llamarle|escribir)|sabemos d[óo]nde (?:vive|trabaja))",
                "Reads as harassment: repeated or unannounced contact used to pressure.",
                "Puede contactarnos cuando mejor le convenga."),
            new(RuleIds.FalseUrgency, LintSeverity.Block,
                @"\b(?:[úu]ltima (?:oportunidad|advertencia)|act[úu]e (?:ya|ahora),? o|el tiempo se (?:acaba|agota)|antes de que sea (?:demasiado )?tarde|en (?:las pr[óo]ximas )?(?:24|48) horas|solo hoy|ahora o nunca)\b",
                "Creates urgency that is not real: no deadline or step stands behind it.",
                "Contáctenos en una fecha que le venga bien."),
            new(RuleIds.FalseUrgency, LintSeverity.Block, @"\b(?:[úu]ltimo aviso|aviso final)\b",
                "Calls it final, but the creditor has no further step enabled: nothing follows it.", "Recordatorio")
            { Kind = PhraseKind.WhenNothingEnabled },

            new(RuleIds.EmptyThreatAgency, LintSeverity.Block,
                @"\b(?:agencias? de (?:cobro|cobranzas?|recobro)s?|empresas? de (?:cobro|recobro|cobranzas?)s?|(?:cederemos|pasaremos|transferiremos|enviaremos) (?:su|la) (?:cuenta|deuda))",
                "Names referral to a collection agency.", "Nos gustaría acordar una solución directamente con usted.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Agency },
            new(RuleIds.EmptyThreatLegal, LintSeverity.Block,
                @"\b(?:acci[óo]n(?:es)? (?:legal|legales|judicial|judiciales)|medidas (?:legales|judiciales)|demandarle|demandarl[oa]|le demandaremos|lo demandaremos|la demandaremos|demanda judicial|tribunal(?:es)?|juzgado|(?:proceso|procedimiento) judicial|nuestros abogados|v[íi]a judicial)",
                "Names legal action.", "Queremos resolver esto con usted sin más pasos.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Legal },
            new(RuleIds.EmptyThreatCreditReporting, LintSeverity.Block,
                @"\b(?:bur[óo]s? de cr[ée]dito|agencias? de (?:informes|informaci[óo]n) crediticia|historial (?:de )?crediticio|(?:ficheros?|listas?) de morosos|ASNEF|informe de cr[ée]dito|puntaje (?:de )?cr[ée]dito)",
                "Names credit reporting.", "Pagar o acordar un plan le facilita las cosas.")
            { Kind = PhraseKind.Consequence, Names = Consequence.CreditReporting },
            new(RuleIds.EmptyThreatServiceSuspension, LintSeverity.Block,
                @"\b(?:(?:suspender|cortar|interrumpir|desconectar|suspenderemos|cortaremos|interrumpiremos|desconectaremos)(?:le)? (?:el |su |sus |los )?(?:servicios?|suministro|acceso|conexi[óo]n|l[íi]nea)|suspensi[óo]n del servicio|(?:el )?servicio (?:ser[áa]|quedar[áa]) (?:suspendido|cortado|interrumpido))",
                "Names suspension of service.", "Su servicio continúa mientras lo resolvemos juntos.")
            { Kind = PhraseKind.Consequence, Names = Consequence.ServiceSuspension },
            new(RuleIds.EmptyThreatRepossession, LintSeverity.Block,
                @"\b(?:(?:recuperar|retirar|recoger)(?:emos)? (?:el|su) (?:veh[íi]culo|coche|auto|carro|equipo)|reposesi[óo]n|recuperaci[óo]n del (?:veh[íi]culo|coche|auto|carro|equipo))",
                "Names repossession.", "Queremos acordar un plan para que pueda seguir usando lo que compró.")
            { Kind = PhraseKind.Consequence, Names = Consequence.Repossession },

            new(RuleIds.Overshadowing, LintSeverity.Block,
                @"\b(?:pague (?:de inmediato|inmediatamente|hoy|ya|ahora)|pago inmediato|debe pagar (?:en su totalidad )?(?:en|dentro de) \d+ d[íi]as|(?:ignore|no haga caso de) (?:el|este|esta) (?:aviso|disputa)|no sirve de nada disputar)",
                "Demands payment in a way that overshadows the customer's right to dispute during the validation period.",
                "Puede pagar o disputar la deuda hasta la fecha indicada en este aviso.")
            { Kind = PhraseKind.Overshadowing },

            new(RuleIds.PressureWords, LintSeverity.Warn, @"\b(?:urgente(?:mente)?|de inmediato|inmediatamente|sin (?:m[áa]s )?demora)\b",
                "Pressure wording; it rarely helps and can alarm.", "cuando pueda")
            { Negatable = false },
        ],
        Jargon =
        [
            new(@"\bremesa\b", "pago"),
            new(@"\bmorosidad\b", "pagos atrasados"),
            new(@"\ben virtud de\b", "según"),
            new(@"\badeudo\b", "lo que debe"),
            new(@"\bconforme a lo dispuesto\b", "según"),
            new(@"\bsaldo deudor\b", "importe pendiente"),
            new(@"\bliquidar\b", "pagar"),
            new(@"\bsubsanar\b", "resolver"),
            new(@"\bmediante la presente\b", "con este mensaje"),
            new(@"\bendeudamiento\b", "deuda"),
        ],
        NegationWord = LanguageRules.Compile(@"^(?:no|nunca|jam[áa]s|sin|ni|tampoco|ning[úu]n|ninguna|ninguno)$"),
        NegationReset = LanguageRules.Compile(@"^(?:nosotros|vamos|iremos|ser[áa]|ser[áa]n|podemos|podremos|entonces|\w+(?:remos|ar[áa]|ar[áa]n|er[áa]|er[áa]n|ir[áa]|ir[áa]n))$"),
        NegationAfter = LanguageRules.Compile(@"^\W*(?:\w+\W+){0,2}?no\b"),
        ClauseBreak = LanguageRules.Compile(@"[.;:!?¡¿\n,]|\b(?:pero|si|salvo que|a menos que|porque|aunque|sino)\b"),
        Disclosure = LanguageRules.Compile(@"\b(?:cobrador de deudas|intento de cobrar una deuda|agencia de cobranza)\b"),
        OptOut = LanguageRules.Compile(@"\b(?:STOP|PARAR|darse de baja|dejar de recibir|cancelar (?:la suscripci[óo]n|estos mensajes)|preferencias de contacto)\b"),
        DebtWords = LanguageRules.Compile(@"\b(?:deudas?|debe|adeuda|saldo|vencid[oa]|atrasad[oa]|pagos?|pagar|cobr\w*|acreedor|cuenta|importe)\b|[$€]\s?\d"),
        CapitalsAllowed = new HashSet<string>(["STOP", "PARAR", "AYUDA", "EE", "UU", "USD", "EUR", "IVA", "NIF", "DNI", "SA", "SL", "LLC", "INC", "PIN", "PDF", "SMS", "ID", "OK"], StringComparer.Ordinal),
        Grade = Readability.Crawford,
        RequiredWording = new Dictionary<Requirement, string>
        {
            [Requirement.DebtCollectorDisclosure] = "Esta es una comunicación de un cobrador de deudas.",
            [Requirement.OptOut] = "Para dejar de recibir estos mensajes, responda STOP o cambie sus preferencias de contacto.",
            [Requirement.LimitedContent] = "Hola, soy Ana Pérez. Por favor, llámeme al 555-0100.",
        },
    };
}

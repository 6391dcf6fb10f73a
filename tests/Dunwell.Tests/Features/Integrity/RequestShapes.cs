using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Dunwell.Tests.Features.Integrity;

/// <summary>One generated request: what the fuzz test sends, printable so a failure can be read and replayed.</summary>
internal sealed record FuzzRequest(string Method, string Url, string? ContentType, string? Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public override string ToString()
    {
        var body = Body is null ? "" : Body.Length > 300 ? $" body[{Body.Length}]={Body[..300]}…" : $" body={Body}";
        return $"{Method} {Url} ({ContentType}){body} headers=[{string.Join("; ", Headers.Select(h => $"{h.Name}: {(h.Value.Length > 40 ? h.Value[..40] + "…" : h.Value)}"))}]";
    }
}

/// <summary>
/// FsCheck generators over the shape of each route, read from the app's own endpoint metadata: its route parameters, its
/// query and form parameters, and its JSON body type (followed through records, lists and enums), mixed with hostile
/// values — huge numbers, control characters, RTL overrides, NULs, 10,000-character strings, unknown and repeated fields.
/// </summary>
internal static class RequestShapes
{
    public static readonly string[] Hostile =
    [
        "", " ", "0", "-1", "1e400", "99999999999999999999999999", "-9223372036854775809", "92233720368547758.07", "NaN", "Infinity",
        "\u0000", "a\u0000b", "\u0001\u0007\u001b[31m", "\u202Eevil\u202C", "\u200B", "\uFEFF", "😀", "null", "true", "[]", "{}",
        "'; DROP TABLE accounts;--", "<script>alert(1)</script>", "../../etc/passwd", "%00", "%", "{{7*7}}", "\r\n", "\t",
        new string('A', 10_000), new string('9', 10_000), "0001-01-01", "9999-12-31", "2026-02-30", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2026-03-02T12:00:00", "-0001-01-01", "+2026-03-02", "2026-13-45T25:61:61Z",
    ];

    private static readonly string[] Plausible =
    [
        "25.00", "0.01", "1000000000000.00", "1000000000000.01", "2026-03-01", "2026-03-02T15:00:00Z", "2026-03-02T09:00:00-05:00", "USD",
        "GBP", "JPY", "card", "call", "email", "sms", "letter", "note", "person", "company", "consumer", "commercial", "ACME", "US", "GB",
        "America/New_York", "Europe/London", "en-US", "jane@example.com", "(212) 555-0143", "+442079460000", "monthly", "weekly", "plan",
        "promise", "settlement", "feeWaiver", "approve", "reject", "granted", "optOutCalls", "collection", "GB-BANK-RATE", "ECB-MRO", "2.50",
        "agent", "supervisor", "admin", "auditor", "ACC-1", "D-1", "*", "09:00", "17:30", "mon",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "2", "3", "-1", "12", "520", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "1e30", "1.5", "-0", "1E+400",
    ];

    private static readonly string[] QueryNames =
        ["q", "page", "pageSize", "asOf", "at", "channel", "to", "purpose", "automated", "skipInvalid", "minDays", "reference", "debtor", "status", "x"];

    public static Gen<string> Text { get; } = Gen.Frequency((3, Gen.Elements(Plausible)), (2, Gen.Elements(Hostile)), (1, Gen.Elements(Numbers)));

    /// <summary>
    /// Requests for one route; <paramref name="ids"/> are real ids and references to put in its path, and
    /// <paramref name="pageForms"/> the form handler and field names found on the app's own pages, for their form posts.
    /// </summary>
    public static Gen<FuzzRequest> For(
        RouteEndpoint endpoint, string method, IReadOnlyList<string> ids, IReadOnlyList<(string Name, string Value)> baseHeaders, string? antiforgery,
        (IReadOnlyList<string> Handlers, IReadOnlyList<string> Fields) pageForms)
    {
        var parameters = endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>();
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var formFields = parameters.Where(p => p.ParameterInfo.GetCustomAttribute<FromFormAttribute>() is not null).Select(p => p.Name).ToList();
        var takesForm = formFields.Count > 0 || parameters.Any(p => p.ParameterInfo.ParameterType == typeof(IFormCollection))
            || endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(c => c.Contains("form", StringComparison.Ordinal)) == true
            || (method != "GET" && !endpoint.RoutePattern.RawText!.StartsWith("/api", StringComparison.Ordinal));
        var queryNames = parameters.Where(p => !routeNames.Contains(p.Name) && IsSimple(p.ParameterInfo.ParameterType)
                && p.ParameterInfo.GetCustomAttribute<FromFormAttribute>() is null && p.ParameterInfo.GetCustomAttribute<FromHeaderAttribute>() is null)
            .Select(p => p.Name).Concat(QueryNames).Distinct().ToArray();
        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
        var bodyType = accepts?.RequestType ?? parameters.FirstOrDefault(p => p.ParameterInfo.GetCustomAttribute<FromBodyAttribute>() is not null)?.ParameterInfo.ParameterType;
        var csv = accepts?.ContentTypes.Any(c => c.Contains("csv", StringComparison.Ordinal)) == true || endpoint.RoutePattern.RawText!.Contains("/imports/", StringComparison.Ordinal);

        var path = PathGen(endpoint, ids);
        var hasExample = Example(method, endpoint.RoutePattern.RawText!, ids, 0) is not null;
        var query = Gen.SubListOf(queryNames).SelectMany(names => Gen.CollectToList(names, name => Text.Select(v => $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(v)}")))
            .Select(pairs => pairs.Count == 0 ? "" : "?" + string.Join("&", pairs));
        Gen<(string? Type, string? Body)> body = method is "GET" or "DELETE"
            ? Gen.Constant<(string?, string?)>((null, null))
            : csv ? CsvGen().Select(b => ((string?)"text/csv", (string?)b))
            : takesForm ? FormGen(formFields, antiforgery, pageForms).Select(b => ((string?)"application/x-www-form-urlencoded", (string?)b))
            : !hasExample
                ? JsonBody(bodyType).Select(b => ((string?)"application/json", (string?)b))
                : Gen.Frequency((1, JsonBody(bodyType)), (2, MutatedExample(n => Example(method, endpoint.RoutePattern.RawText!, ids, n)!)))
                    .Select(b => ((string?)"application/json", (string?)b));
        var headers = Gen.SubListOf(ExtraHeaders).SelectMany(names => Gen.CollectToList(names, name => HeaderValue(name).Select(v => (name, v))));
        if (hasExample)
        {
            // A fresh Idempotency-Key, as a real client sends with each new request (routes that need one refuse without it).
            headers = headers.SelectMany(h => Gen.Choose(0, int.MaxValue), (h, key) =>
                new List<(string name, string v)>([.. h.Where(x => x.name != "Idempotency-Key"), ("Idempotency-Key", $"fuzz-{key}")]));
        }

        return path.SelectMany(p => query, (p, q) => p + q)
            .SelectMany(url => body, (url, b) => (url, b))
            .SelectMany(x => headers, (x, h) => new FuzzRequest(method, x.url, x.b.Type, x.b.Body, [.. baseHeaders, .. h]));
    }

    private static readonly string[] ExtraHeaders = ["Idempotency-Key", "Accept", "HX-Request", "If-None-Match", "X-Forwarded-For", "Accept-Language", "X-Custom"];

    private static Gen<string> HeaderValue(string name) => name switch
    {
        "Accept" => Gen.Elements("application/json", "application/problem+json", "*/*", "text/html", "image/png", ";;;"),
        "HX-Request" => Gen.Elements("true", "1"),
        _ => Text.Select(Header),
    };

    /// <summary>HTTP cannot carry CR, LF or NUL in a header at all; everything else is sent as generated.</summary>
    private static string Header(string value) => new([.. value.Select(c => c is '\r' or '\n' or '\0' ? '?' : c)]);

    private static Gen<string> PathGen(RouteEndpoint endpoint, IReadOnlyList<string> ids)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment =>
        {
            if (segment.Parts is [Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal])
            {
                return Gen.Constant(literal.Content);
            }

            if (segment.Parts.Count == 1 && segment.Parts[0] is Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter)
            {
                // The seeded account first for an "id": most routes hang off it. A NUL cannot reach the app in a path (the
                // server refuses the request line), so it is not generated there.
                string[] choices = parameter.Name.Equals("id", StringComparison.OrdinalIgnoreCase) ? [ids[0], ids[0], ids[0], .. ids] : [.. ids];
                return Gen.Frequency((6, Gen.Elements(choices)), (1, Gen.Elements(Numbers)), (1, Gen.Elements(Hostile)))
                    .Select(v => v.Replace("\0", "", StringComparison.Ordinal))
                    .Select(v => v.Length == 0 ? "x" : Uri.EscapeDataString(v));
            }

            // Mixed segments ("{documentName}.json"): the literal parts kept, each parameter a plausible word.
            return Gen.Constant(string.Concat(segment.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart s => s.Content,
                _ => "v1",
            })));
        });
        return Gen.CollectToList(segments).Select(parts => "/" + string.Join("/", parts));
    }

    private static Gen<string> FormGen(IReadOnlyList<string> fields, string? antiforgery, (IReadOnlyList<string> Handlers, IReadOnlyList<string> Fields) pageForms)
    {
        var names = fields.Concat(pageForms.Fields).Concat(["note", "amount", "x"]).Distinct().ToArray();
        var handler = pageForms.Handlers.Count == 0
            ? Gen.Constant(Array.Empty<string>())
            : Gen.Frequency((4, Gen.Elements(pageForms.Handlers.ToArray())), (1, Text)).Select(h => new[] { $"_handler={Uri.EscapeDataString(h)}" });
        var pairs = Gen.SubListOf(names).Select(chosen => chosen.Take(12).ToList())
            .SelectMany(chosen => Gen.CollectToList(chosen, name => Named(name.Split('.')[^1], typeof(string), 0)
                .Select(v => v.StartsWith('"') ? JsonSerializer.Deserialize<string>(v)! : v)
                .Select(v => $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(v)}")));
        return pairs.SelectMany(p => handler, (p, h) => p.Concat(h).ToList())
            .SelectMany(p => Gen.Elements(true, true, true, false), (p, withToken) =>
                string.Join("&", withToken && antiforgery is not null ? p.Append($"__RequestVerificationToken={Uri.EscapeDataString(antiforgery)}") : p));
    }

    private static Gen<string> CsvGen()
    {
        var placement = "creditor_ref,account_ref,debtor_ref,debtor_kind,name,email,phone,phone2,address_line1,address_line2,city,region,postal_code,country,time_zone,language,account_kind,currency,principal,interest,fees,due_date,itemization_date,original_creditor,last_payment_date";
        var payment = "account_ref,amount,currency,paid_at,method,reference";
        var header = Gen.Elements(placement, payment, "a,b", "", "\"unterminated");
        var cell = Text.Select(v => v.Contains(',', StringComparison.Ordinal) || v.Contains('"', StringComparison.Ordinal) || v.Contains('\n', StringComparison.Ordinal) ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v);
        var row = Gen.Choose(1, 26).SelectMany(n => Gen.ListOf(cell, n)).Select(cells => string.Join(",", cells));
        return header.SelectMany(h => Gen.Choose(0, 4).SelectMany(n => Gen.ListOf(row, n)), (h, rows) => string.Join("\r\n", rows.Prepend(h)) + "\r\n");
    }

    /// <summary>
    /// A valid body for an API route that creates or changes something (<paramref name="ids"/>: the seeded account, then its
    /// debtor; <paramref name="n"/> makes what must be unique unique), so that requests get past validation into the code
    /// behind it. Generated bodies alone almost never do: a create needs every member right at once.
    /// </summary>
    private static JsonObject? Example(string method, string pattern, IReadOnlyList<string> ids, int n) => (method, pattern) switch
    {
        ("POST", "/api/v1/debtors") => Node(Records.RecordsSeed.WithCreditor(Records.RecordsSeed.Debtor($"FZ-D-{n}"), "ACME")),
        ("POST", "/api/v1/accounts") => Node(Records.RecordsSeed.Account(long.Parse(ids[1], System.Globalization.CultureInfo.InvariantCulture), $"FZ-A-{n}")),
        ("PATCH", "/api/v1/debtors/{id:long}") => new() { ["city"] = "Albany", ["region"] = "NY" },
        ("PATCH", "/api/v1/accounts/{id:long}") => new() { ["limitationDate"] = "2031-01-15" },
        ("POST", "/api/v1/accounts/{id:long}/payments") => new() { ["amount"] = "0.01", ["paidOn"] = "2026-03-01", ["method"] = "card", ["reference"] = $"FZ-P-{n}" },
        ("POST", "/api/v1/accounts/{id:long}/interactions") => new()
        {
            ["channel"] = "call",
            ["direction"] = "outbound",
            ["occurredAt"] = "2026-03-02T14:00:00Z",
            ["outcome"] = "promise",
            ["notes"] = "Talked it through",
        },
        ("POST", "/api/v1/accounts/{id:long}/disputes") => new() { ["receivedAt"] = "2026-03-02T12:00:00Z", ["written"] = true, ["amount"] = "1.00", ["note"] = "Says it was paid" },
        ("POST", "/api/v1/accounts/{id:long}/disputes/{disputeId:long}/verification") => new() { ["sentAt"] = "2026-03-02T13:00:00Z", ["note"] = "Copy of the bill" },
        ("POST", "/api/v1/accounts/{id:long}/arrangements") => new() { ["kind"] = "plan", ["firstPaymentOn"] = "2026-03-09", ["frequency"] = "monthly", ["instalments"] = 3 },
        ("POST", "/api/v1/accounts/{id:long}/ledger/{entryId:long}/reversal") => new() { ["reason"] = "Bounced" },
        ("POST", "/api/v1/arrangements/{id:long}/approve") or ("POST", "/api/v1/arrangements/{id:long}/reject") => new() { ["note"] = "Checked" },
        ("POST", "/api/v1/creditors") => new() { ["reference"] = $"FZ-{n}", ["name"] = "Fuzz Ltd", ["jurisdictionPack"] = "US-FDCPA", ["timeZone"] = "America/New_York" },
        ("PATCH", "/api/v1/creditors/{reference}") => new() { ["displayName"] = "Acme", ["contactPhone"] = "(212) 555-0100" },
        ("POST", "/api/v1/reference-rates") => new()
        {
            ["series"] = "GB-BANK-RATE",
            ["effectiveFrom"] = NodaTime.Text.LocalDatePattern.Iso.Format(new NodaTime.LocalDate(1990, 1, 1).PlusDays(n % 10_000)),
            ["rate"] = "3.75",
        },
        _ => null,
    };

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static JsonObject Node(object body) => JsonSerializer.SerializeToNode(body, WebJson)!.AsObject();

    /// <summary>The example as it is, or with one member given a generated or hostile value, dropped, or joined by an unknown one.</summary>
    private static Gen<string> MutatedExample(Func<int, JsonObject> example) =>
        Gen.Choose(0, 1_000_000).SelectMany(n => Gen.Choose(0, 4), (n, how) => (Body: example(n), How: how))
            .SelectMany(x => Gen.Elements(x.Body.Select(p => p.Key).ToArray()), (x, name) => (x.Body, x.How, Name: name))
            .SelectMany(x => Scalar(), (x, value) =>
            {
                var body = x.Body.DeepClone().AsObject();
                switch (x.How)
                {
                    case 0 or 1:
                        break; // valid as it is: the code behind the checks runs
                    case 2:
                        body[x.Name] = ParseOrString(value);
                        break;
                    case 3:
                        body.Remove(x.Name);
                        break;
                    default:
                        body["unexpected"] = ParseOrString(value);
                        break;
                }

                return body.ToJsonString();
            });

    private static JsonNode? ParseOrString(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    /// <summary>A JSON body for <paramref name="type"/>, or for no known type a generic object; sometimes not a body at all.</summary>
    public static Gen<string> JsonBody(Type? type) => Gen.Frequency(
        (8, type is null ? GenericObject(2) : Value(type, 0)),
        (1, Gen.Elements("", "null", "[]", "\"text\"", "{", "{\"a\":", "{}", "{\"a\":1,\"a\":2}", new string('[', 5_000), "{\"\u0000\":1}", "0", "1e400")));

    private static Gen<string> GenericObject(int depth) =>
        Gen.ListOf(Gen.Elements(Plausible.Concat(["amount", "kind", "note", "paidOn", "occurredAt"]).ToArray())
                .SelectMany(name => Scalar(), (name, value) => $"{Quote(name)}:{value}"), Math.Max(0, depth))
            .Select(members => "{" + string.Join(",", members) + "}");

    private static Gen<string> Scalar() => Gen.Frequency(
        (4, Text.Select(Quote)), (2, Gen.Elements(Numbers)), (1, Gen.Elements("true", "false", "null", "[]", "{}")));

    private static Gen<string> Value(Type type, int depth)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var hostile = Scalar();
        if (underlying == typeof(string) || underlying == typeof(DateOnly) || underlying == typeof(DateTimeOffset) || underlying == typeof(Guid))
        {
            return Gen.Frequency((6, Text.Select(Quote)), (1, hostile));
        }

        if (underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(decimal) || underlying == typeof(double))
        {
            return Gen.Frequency((6, Gen.Elements(Numbers)), (1, hostile));
        }

        if (underlying == typeof(bool))
        {
            return Gen.Frequency((6, Gen.Elements("true", "false")), (1, hostile));
        }

        if (underlying.IsEnum)
        {
            var names = Enum.GetNames(underlying).Select(n => Quote(JsonNamingPolicy.CamelCase.ConvertName(n))).ToArray();
            return Gen.Frequency((6, Gen.Elements(names)), (1, hostile));
        }

        if (depth > 3)
        {
            return hostile;
        }

        if (Dictionary(underlying) is { } valueType)
        {
            return Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Gen.Elements(Plausible).SelectMany(k => Value(valueType, depth + 1), (k, v) => $"{Quote(k)}:{v}"), n))
                .Select(items => "{" + string.Join(",", items) + "}");
        }

        if (Element(underlying) is { } element)
        {
            return Gen.Frequency((6, Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Value(element, depth + 1), n)).Select(items => "[" + string.Join(",", items) + "]")), (1, hostile));
        }

        if (underlying == typeof(JsonElement) || underlying == typeof(object) || underlying.IsAbstract && !underlying.IsInterface)
        {
            return GenericObject(3);
        }

        var members = underlying.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetIndexParameters().Length == 0)
            .Select(p => (Name: JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.PropertyType))
            .ToList();
        if (members.Count == 0)
        {
            return GenericObject(2);
        }

        // Each member: usually what its name calls for, sometimes left out; one member (or none) hostile, so most requests get
        // past the first checks to the code behind them; then maybe an unknown or repeated member.
        Gen<string?> Member((string Name, Type PropertyType) m, bool target) => target
            ? Gen.Frequency((3, Value(m.PropertyType, depth + 1)), (2, hostile)).Select(v => (string?)$"{Quote(m.Name)}:{v}")
            : Gen.Frequency((12, Named(m.Name, m.PropertyType, depth + 1).Select(v => (string?)$"{Quote(m.Name)}:{v}")), (1, Gen.Constant<string?>(null)));
        var member = Gen.Frequency((1, Gen.Constant(-1)), (2, Gen.Choose(0, members.Count - 1)))
            .SelectMany(target => Gen.CollectToList(members.Select((m, i) => Member(m, i == target))));
        var extra = Gen.Frequency(
            (8, Gen.Constant<string?>(null)),
            (1, Gen.Elements(Plausible).Select(n => (string?)$"{Quote(n)}:1")),
            (1, Gen.Elements(members.Select(m => m.Name).ToArray()).SelectMany(n => Scalar(), (n, v) => (string?)$"{Quote(n)}:{v}")));
        return member.SelectMany(parts => extra, (parts, more) =>
            "{" + string.Join(",", parts.Append(more).Where(p => p is not null)) + "}");
    }

    /// <summary>A value for a member, usually one its name calls for (an amount for "total", a date for "paidOn"), so requests get past the first check.</summary>
    private static Gen<string> Named(string name, Type type, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        string[]? hints = name switch
        {
            _ when t != typeof(string) && t != typeof(DateOnly) && t != typeof(DateTimeOffset) => null,
            "amount" or "total" or "principal" or "interest" or "fees" or "downPayment" or "waive" =>
                ["25.00", "100", "0.01", "612.40", "1000000000000.00", "1000000000000.01", "-5.00", "12.345"],
            "rate" => ["2.50", "5.25", "-0.50", "100.01"],
            "currency" => ["USD", "GBP", "JPY", "usd", "XXX"],
            "method" => ["card", "cash", "bank_transfer", "bitcoin"],
            "country" => ["US", "GB", "DE", "ZZ"],
            "timeZone" or "locationTimeZone" => ["America/New_York", "Europe/London", "Mars/Olympus"],
            "series" => ["GB-BANK-RATE", "ECB-MRO"],
            "creditorReference" => ["ACME", "NOPE"],
            "from" or "until" or "contactFrom" or "contactUntil" when t == typeof(string) => ["09:00", "17:30", "24:00", "7"],
            _ when t == typeof(DateOnly) => ["2026-03-01", "2026-03-09", "2026-04-01", "2025-12-31", "1900-01-01", "2199-12-31", "1899-12-31", "2200-01-01"],
            _ when t == typeof(DateTimeOffset) => ["2026-03-02T14:00:00Z", "2026-03-01T09:00:00-05:00", "2026-03-03T09:00:00Z", "1900-01-01T00:00:00Z", "2199-12-31T23:59:59Z"],
            _ => null,
        };
        return hints is null
            ? t == typeof(string) ? Gen.Elements(Plausible).Select(Quote) : Value(type, depth)
            : Gen.Frequency((6, Gen.Elements(hints).Select(Quote)), (1, Value(type, depth)));
    }

    private static Type? Element(Type type)
    {
        if (type == typeof(string) || Dictionary(type) is not null)
        {
            return null;
        }

        return type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    /// <summary>The value type of a dictionary with string keys, or null.</summary>
    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(Guid) || t.IsEnum;
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>Bytes of a body exactly as generated (a NUL stays a NUL).</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace Dunwell.Web;

/// <summary>
/// The OpenAPI document as a generated client needs it: only the API (not the pages' form posts), unique schema names,
/// the bearer API key, and every status an operation answers with its problem details. Applied to every endpoint, so
/// one added later is described the same way without a line of its own.
/// </summary>
internal static class OpenApiContract
{
    public const string BearerScheme = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
        options.CreateSchemaReferenceId = SchemaName;
        options.AddDocumentTransformer(DescribeDocumentAsync);
        options.AddOperationTransformer(DescribeStatusesAsync);
        options.AddSchemaTransformer(DescribeWireTypesAsync);
    }

    /// <summary>
    /// Slices nest their records (PostPayment.Request, CreateDebtor.Request): a nested type is named with every type it is
    /// declared in, so no two share a name. NodaTime's dates and times are strings on the wire: inlined (null), no schema of their own.
    /// </summary>
    internal static string? SchemaName(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(LocalDate) || type == typeof(LocalTime))
        {
            return null;
        }

        if (!type.IsNested || type.IsGenericType)
        {
            return OpenApiOptions.CreateDefaultSchemaReferenceId(info);
        }

        var name = type.Name;
        for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType)
        {
            name = outer.Name + name;
        }

        return name;
    }

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Dunwell API";
        document.Info.Description = "Records, imports, arrangements, charges and compliance questions. Authenticate every request with an "
            + "API key (`dunwell apikeys create`) sent as `Authorization: Bearer dwk_…`. Errors are RFC 9457 problem details.";
        document.Info.License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "dwk_{prefix}.{secret}",
            Description = "An API key from `dunwell apikeys create` or the admin's API keys page; its role and creditors are the caller's.",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        return Task.CompletedTask;
    }

    /// <summary>
    /// The statuses every API operation can answer, from what the endpoint is: 401 without a valid key; 403 when its
    /// policy admits fewer roles than every reader; 404 when the path names a record (one outside the caller's creditors
    /// is not found either); 400 when it takes a body or a query (a field that cannot be read). Statuses an endpoint
    /// answers for its own reasons (409, 422) are declared where it is mapped.
    /// </summary>
    private static Task DescribeStatusesAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            Add(operation, context, StatusCodes.Status401Unauthorized, "No API key, or one that is not valid.");
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is { } policy && policy != Policies.Read))
            {
                Add(operation, context, StatusCodes.Status403Forbidden, "The key's role may not do this.");
            }
        }

        if (description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
        {
            Add(operation, context, StatusCodes.Status404NotFound, "Not found, or not one of the caller's creditors'.");
        }

        if (operation.RequestBody is not null || description.ParameterDescriptions.Any(p => p.Source.Id == "Query"))
        {
            Add(operation, context, StatusCodes.Status400BadRequest, "A field that is missing, unknown or cannot be read, named in the problem's errors.");
        }

        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string text)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.Document) },
            },
        };
    }

    /// <summary>NodaTime dates and times travel as ISO strings; describe them so.</summary>
    private static Task DescribeWireTypesAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(LocalDate) || type == typeof(LocalTime))
        {
            schema.Type = JsonSchemaType.String;
            schema.Properties = null;
            schema.Required = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.Format = type == typeof(LocalDate) ? "date" : null;
            schema.Pattern = type == typeof(LocalTime) ? "^\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$" : null;
            schema.Description ??= type == typeof(LocalDate) ? "A date, yyyy-MM-dd." : "A time of day, HH:mm[:ss].";
        }

        return Task.CompletedTask;
    }
}

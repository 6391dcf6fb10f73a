using System.Text.Json.Serialization.Metadata;
using Dunwell.Domain.Inputs;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dunwell.Web;

/// <summary>
/// The OpenAPI document states the input limits (<see cref="Plausible"/>, <see cref="JsonInput"/>) where the shapes are:
/// bodies take no other fields, dates and instants carry their window and the offset rule, amounts their maximum.
/// </summary>
internal static class OpenApiLimits
{
    private static readonly HashSet<string> AmountFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "amount", "principal", "interest", "fees", "total", "downPayment", "waive",
    };

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var window = $"{Plausible.FirstDate:yyyy-MM-dd} to {Plausible.LastDate:yyyy-MM-dd}";
        if (type == typeof(DateOnly))
        {
            schema.Format = "date";
            schema.Description = Join(schema.Description, $"A date, yyyy-MM-dd, from {window}.");
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Format = "date-time";
            schema.Description = Join(schema.Description, $"An instant in ISO-8601 with Z or an offset (2026-03-02T09:30:00Z), from {window} UTC; without an offset it is refused.");
        }
        else if (type == typeof(string) && context.JsonPropertyInfo is { } property && AmountFields.Contains(property.Name))
        {
            schema.Description = Join(schema.Description, $"A decimal string in major units (\"25.00\"), at most {Plausible.MaxMajorUnits} (10^12).");
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && context.JsonPropertyInfo is null)
        {
            schema.AdditionalPropertiesAllowed = false; // an unknown field is refused, at any depth
        }

        return Task.CompletedTask;
    }

    private static string Join(string? existing, string addition) => string.IsNullOrEmpty(existing) ? addition : $"{existing} {addition}";
}

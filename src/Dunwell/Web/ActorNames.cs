using Dunwell.Data;
using Microsoft.EntityFrameworkCore;

namespace Dunwell.Web;

/// <summary>
/// The names of the people behind the actors the records keep ("user:agent@demo.test" → "Sam Carter"). Records keep the
/// actor as it was, for the audit; only what a person reads is the name. One per request, read on first use, through a
/// context of its own: a page's components may be using the request's context at that moment.
/// </summary>
public sealed class ActorNames(IServiceScopeFactory scopes)
{
    private Dictionary<string, string>? _names;

    public string Of(string actor)
    {
        if (actor.StartsWith("user:", StringComparison.Ordinal))
        {
            var email = actor["user:".Length..];
            // Read once per request, synchronously: the pages render synchronously and the table of people is small.
            _names ??= Load();
            return _names.TryGetValue(email, out var name) ? name : email;
        }

        return actor switch
        {
            "system:demo" => "Demo data",
            _ when actor.StartsWith("system:", StringComparison.Ordinal) => $"Dunwell ({actor["system:".Length..]})",
            _ when actor.StartsWith("apikey:", StringComparison.Ordinal) => $"API key {actor["apikey:".Length..]}",
            _ => actor,
        };
    }

    private Dictionary<string, string> Load()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DunwellDb>();
        return db.Users.AsNoTracking().Where(u => u.DisplayName != null && u.Email != null)
            .Select(u => new { u.Email, u.DisplayName }).ToList()
            .ToDictionary(u => u.Email!, u => u.DisplayName!, StringComparer.OrdinalIgnoreCase);
    }
}

using Dunwell.Domain.Accounts;

namespace Dunwell.Web.Auth;

/// <summary>
/// Who may do what. Every endpoint and page names one of these; there is no unprotected route but sign-in.
/// Auditors read everything and change nothing.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in role, auditors included: read-only views.</summary>
    public const string Read = "read";

    /// <summary>Agents and above: record calls, notes and payments.</summary>
    public const string Agent = "agent";

    public const string Supervisor = "supervisor";

    /// <summary>Administrators: imports, users, keys, configuration.</summary>
    public const string Admin = "admin";

    /// <summary>Auditors and administrators: checking the records themselves (audit verify).</summary>
    public const string Audit = "audit";

    public static IServiceCollection AddDunwellPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin, Roles.Auditor))
            .AddPolicy(Agent, p => p.RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin))
            .AddPolicy(Supervisor, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Audit, p => p.RequireRole(Roles.Auditor, Roles.Admin));
        return services;
    }
}

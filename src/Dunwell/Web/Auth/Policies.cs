using Dunwell.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;

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

    /// <summary>Seeing what supervisors see (the approval queue): supervisors, admins and auditors. Never on a write.</summary>
    public const string SupervisorOrAuditor = "supervisor-or-auditor";

    /// <summary>Seeing configuration (policies, rates, the audit trail): admins and auditors. Never on a write.</summary>
    public const string AdminOrAuditor = "admin-or-auditor";

    public static IServiceCollection AddDunwellPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin, Roles.Auditor))
            .AddPolicy(Agent, p => p.RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin))
            .AddPolicy(Supervisor, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(SupervisorOrAuditor, p => p.RequireRole(Roles.Supervisor, Roles.Admin, Roles.Auditor))
            .AddPolicy(AdminOrAuditor, p => p.RequireRole(Roles.Admin, Roles.Auditor));
        services.AddSingleton<IAuthorizationHandler, AuditorsOnlyRead>();
        return services;
    }
}

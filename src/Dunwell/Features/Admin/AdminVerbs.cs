using System.CommandLine;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Creditors;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace Dunwell.Features.Admin;

/// <summary><c>dunwell users add</c> and <c>dunwell apikeys create</c>.</summary>
internal static class AdminVerbs
{
    public static IEnumerable<Command> Commands()
    {
        var email = new Option<string>("--email") { Required = true, Description = "The user's email, used to sign in." };
        var role = new Option<string>("--role") { Required = true, Description = "agent, supervisor, admin or auditor." };
        var password = new Option<string?>("--password") { Description = "Initial password; one is generated and printed when omitted." };
        var userCreditors = CreditorsOption();
        var add = new Command("add", "Add a user who signs in to the web application.") { email, role, password, userCreditors };
        add.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var grant = await GrantAsync(services.GetRequiredService<DunwellDb>(), result.GetValue(userCreditors), token);
            var (user, secret) = await AddUserAsync(services, result.GetValue(email)!, result.GetValue(role)!, result.GetValue(password), grant, token);
            await Console.Out.WriteLineAsync($"Added {user.Email} as {result.GetValue(role)}.");
            await Console.Out.WriteLineAsync(secret);
            return 0;
        }, ct));
        yield return new Command("users", "Manage the people who sign in.") { add };

        var name = new Option<string>("--name") { Required = true, Description = "What the key is for, e.g. crm-sync." };
        var keyRole = new Option<string>("--role") { Required = true, Description = "agent, supervisor, admin or auditor." };
        var keyCreditors = CreditorsOption();
        var create = new Command("create", "Create an API key; the key is printed once, alone on the last line.") { name, keyRole, keyCreditors };
        create.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<DunwellDb>();
            var now = services.GetRequiredService<TimeProvider>().Now();
            var grant = await GrantAsync(db, result.GetValue(keyCreditors), token);
            var key = await ApiKeys.CreateAsync(db, result.GetValue(name)!, result.GetValue(keyRole)!, grant, now, token);
            AuditLog.Add(db, "system:cli", AuditLog.Actions.ApiKeyCreate, $"apikey:{result.GetValue(name)}", now,
                $"role={result.GetValue(keyRole)} creditors={result.GetValue(keyCreditors)}");
            await db.SaveChangesAsync(token);
            await Console.Out.WriteLineAsync($"Created API key '{result.GetValue(name)}' with role {result.GetValue(keyRole)}. Store it now: it is not shown again.");
            await Console.Out.WriteLineAsync(key);
            return 0;
        }, ct));
        yield return new Command("apikeys", "Manage API keys for integrations.") { create };
    }

    /// <summary>Which creditors a user or key acts for: required, so that nobody gets every creditor by leaving it out.</summary>
    private static Option<string> CreditorsOption() => new("--creditors")
    {
        Required = true,
        Description = "The creditors it acts for: references separated by commas, or * for every creditor (present and future).",
    };

    private static async Task<CreditorGrant> GrantAsync(DunwellDb db, string? text, CancellationToken cancellationToken)
    {
        var (grant, error) = await CreditorGrant.ParseAsync(db, text, cancellationToken);
        return grant ?? throw new VerbException($"--creditors: {error}", 2);
    }

    /// <summary>Creates a user with one role acting for the creditors granted; returns the password (generated when none was given).</summary>
    public static async Task<(DunwellUser User, string Password)> AddUserAsync(
        IServiceProvider services, string email, string role, string? password, CreditorGrant creditors, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(role))
        {
            throw new VerbException($"unknown role '{role}'. Use one of: {string.Join(", ", Roles.All)}.");
        }

        var users = services.GetRequiredService<UserManager<DunwellUser>>();
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }

        password ??= $"Dw-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}";
        var user = new DunwellUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            AllCreditors = creditors.All,
        };
        user.Creditors.AddRange(creditors.Ids.Select(id => new UserCreditor { UserId = user.Id, CreditorId = id }));
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new VerbException($"could not add {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        }

        await users.AddToRoleAsync(user, role);
        var db = services.GetRequiredService<DunwellDb>();
        AuditLog.Add(db, "system:cli", AuditLog.Actions.UserCreate, $"user:{email}", services.GetRequiredService<TimeProvider>().Now(),
            $"role={role} creditors={await CreditorGrant.DescribeAsync(db, creditors.All, creditors.Ids, cancellationToken)}");
        await db.SaveChangesAsync(cancellationToken);
        return (user, password);
    }
}

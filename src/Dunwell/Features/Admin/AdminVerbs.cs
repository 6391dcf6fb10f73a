using System.CommandLine;
using Dunwell.Data;
using Dunwell.Domain.Accounts;
using Dunwell.Features.Creditors;
using Dunwell.Web;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace Dunwell.Features.Admin;

/// <summary><c>dunwell users add</c> and <c>dunwell apikeys create</c>; the rest of both lifecycles is in <see cref="CredentialVerbs"/>.</summary>
internal static class AdminVerbs
{
    public static IEnumerable<Command> Commands()
    {
        var email = new Option<string>("--email") { Required = true, Description = "The user's email, used to sign in." };
        var role = new Option<string>("--role") { Required = true, Description = "agent, supervisor, admin or auditor." };
        var password = new Option<string?>("--password")
        {
            Description = "Initial password (it stays in shell history; prefer --password-stdin). One is generated and printed once when omitted.",
        };
        var passwordStdin = CredentialVerbs.PasswordStdinOption();
        var userCreditors = CreditorsOption();
        var add = new Command("add", "Add a user who signs in to the web application.") { email, role, password, passwordStdin, userCreditors };
        add.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var grant = await GrantAsync(services.GetRequiredService<DunwellDb>(), result.GetValue(userCreditors), token);
            var given = result.GetValue(passwordStdin) ? await CredentialVerbs.ReadPasswordAsync() : result.GetValue(password);
            var (user, secret) = await AddUserAsync(services, result.GetValue(email)!, result.GetValue(role)!, given, grant, token);
            await Console.Out.WriteLineAsync($"Added {user.Email} as {result.GetValue(role)}.");
            if (given is null)
            {
                // Only a password Dunwell made up is printed, alone on the last line; one the caller gave is never echoed.
                await Console.Out.WriteLineAsync("Their password (give it to them now: it is not shown again):");
                await Console.Out.WriteLineAsync(secret);
            }

            return 0;
        }, ct));
        var users = new Command("users", "Manage the people who sign in.") { add };
        foreach (var command in CredentialVerbs.UserCommands(CreditorsOption))
        {
            users.Subcommands.Add(command);
        }

        yield return users;

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
        var apikeys = new Command("apikeys", "Manage API keys for integrations.") { create };
        foreach (var command in CredentialVerbs.ApiKeyCommands(CreditorsOption))
        {
            apikeys.Subcommands.Add(command);
        }

        yield return apikeys;
    }

    /// <summary>Which creditors a user or key acts for: required, so that nobody gets every creditor by leaving it out.</summary>
    private static Option<string> CreditorsOption() => new("--creditors")
    {
        Required = true,
        Description = "The creditors it acts for: references separated by commas, or * for every creditor (present and future).",
    };

    internal static async Task<CreditorGrant> GrantAsync(DunwellDb db, string? text, CancellationToken cancellationToken)
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

        password ??= ManageUsers.GeneratePassword();
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

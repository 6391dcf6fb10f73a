using System.CommandLine;
using Dunwell.Data;
using Dunwell.Web;

namespace Dunwell.Features.Admin;

/// <summary>
/// <c>dunwell users list|disable|enable|set-role|set-creditors|unlock|reset-password</c> and <c>dunwell apikeys list|revoke|set-creditors</c>.
/// The CLI acts as <c>system:cli</c>: whoever can run it can read the database's configuration anyway.
/// </summary>
internal static class CredentialVerbs
{
    private const string Actor = "system:cli";

    public static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = "Read the password from the first line of standard input (kept out of shell history and the process list).",
    };

    public static async Task<string> ReadPasswordAsync()
    {
        var line = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
        return string.IsNullOrEmpty(line) ? throw new VerbException("--password-stdin: standard input held no password.", 2) : line;
    }

    public static IEnumerable<Command> UserCommands(Func<Option<string>> creditorsOption)
    {
        var list = new Command("list", "List users: email, role, creditors and whether they are active, locked or disabled.");
        list.SetAction((_, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            foreach (var user in await ManageUsers.ListAsync(services.GetRequiredService<DunwellDb>(), services.GetRequiredService<TimeProvider>().Now(), token))
            {
                await Console.Out.WriteLineAsync($"{user.Email}\t{user.Role}\t{user.Creditors}\t{user.Status}");
            }

            return 0;
        }, ct));
        yield return list;

        yield return UserCommand("disable", "Stop a user signing in and end their sessions at once.", [], (services, email, _, token) =>
            ManageUsers.DisableAsync(services, email, Actor, token));
        yield return UserCommand("enable", "Let a disabled user sign in again.", [], (services, email, _, token) =>
            ManageUsers.EnableAsync(services, email, Actor, token));
        yield return UserCommand("unlock", "End a lockout after failed sign-in attempts.", [], (services, email, _, token) =>
            ManageUsers.UnlockAsync(services, email, Actor, token));

        var role = new Option<string>("--role") { Required = true, Description = "agent, supervisor, admin or auditor." };
        yield return UserCommand("set-role", "Give a user another role; their next request carries it.", [role], (services, email, result, token) =>
            ManageUsers.SetRoleAsync(services, email, result.GetValue(role)!, Actor, token));

        var creditors = creditorsOption();
        yield return UserCommand("set-creditors", "Change the creditors a user acts for; their next request is scoped by it.", [creditors], async (services, email, result, token) =>
        {
            var grant = await AdminVerbs.GrantAsync(services.GetRequiredService<DunwellDb>(), result.GetValue(creditors), token);
            return await ManageUsers.SetCreditorsAsync(services, email, grant, Actor, token);
        });

        var passwordStdin = PasswordStdinOption();
        yield return UserCommand("reset-password", "Set a new password (generated and printed once, or read with --password-stdin) and end the user's sessions.",
            [passwordStdin], async (services, email, result, token) =>
                await ManageUsers.ResetPasswordAsync(services, email, result.GetValue(passwordStdin) ? await ReadPasswordAsync() : null, Actor, token));
    }

    public static IEnumerable<Command> ApiKeyCommands(Func<Option<string>> creditorsOption)
    {
        var list = new Command("list", "List API keys: name, prefix, role, creditors, created and revoked. Secrets are never shown.");
        list.SetAction((_, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            foreach (var key in await ManageApiKeys.ListAsync(services.GetRequiredService<DunwellDb>(), token))
            {
                var state = key.RevokedAt is { } at ? $"revoked {at:yyyy-MM-dd HH:mm} UTC" : "active";
                await Console.Out.WriteLineAsync($"{key.Name}\tdwk_{key.Prefix}\t{key.Role}\t{key.Creditors}\tcreated {key.CreatedAt:yyyy-MM-dd HH:mm} UTC\t{state}");
            }

            return 0;
        }, ct));
        yield return list;

        var name = new Argument<string>("name") { Description = "The key's name (or its public prefix)." };
        var revoke = new Command("revoke", "Revoke an API key: its next request is refused.") { name };
        revoke.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var now = services.GetRequiredService<TimeProvider>().Now();
            return await ReportAsync(await ManageApiKeys.RevokeAsync(services.GetRequiredService<DunwellDb>(), result.GetValue(name)!, Actor, now, token));
        }, ct));
        yield return revoke;

        var keyName = new Argument<string>("name") { Description = "The key's name (or its public prefix)." };
        var creditors = creditorsOption();
        var setCreditors = new Command("set-creditors", "Change the creditors an API key acts for; its next request is scoped by it.") { keyName, creditors };
        setCreditors.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<DunwellDb>();
            var grant = await AdminVerbs.GrantAsync(db, result.GetValue(creditors), token);
            var now = services.GetRequiredService<TimeProvider>().Now();
            return await ReportAsync(await ManageApiKeys.SetCreditorsAsync(db, result.GetValue(keyName)!, grant, Actor, now, token));
        }, ct));
        yield return setCreditors;
    }

    private static Command UserCommand(
        string verb, string description, Option[] options, Func<IServiceProvider, string, ParseResult, CancellationToken, Task<CredentialOutcome>> change)
    {
        var email = new Option<string>("--email") { Required = true, Description = "The user's email." };
        var command = new Command(verb, description) { email };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
            await ReportAsync(await change(services, result.GetValue(email)!, result, token)), ct));
        return command;
    }

    /// <summary>Done: the summary, then a generated secret alone on the last line. Refused: one line on stderr, exit 1.</summary>
    private static async Task<int> ReportAsync(CredentialOutcome outcome)
    {
        switch (outcome)
        {
            case CredentialOutcome.Done { Secret: { } secret } done:
                await Console.Out.WriteLineAsync($"{done.Summary} The new password (give it to them now: it is not shown again):");
                await Console.Out.WriteLineAsync(secret);
                return 0;
            case CredentialOutcome.Done done:
                await Console.Out.WriteLineAsync(done.Summary);
                return 0;
            case CredentialOutcome.Refused refused:
                throw new VerbException(refused.Reason);
            default:
                throw new InvalidOperationException(outcome.GetType().Name);
        }
    }
}

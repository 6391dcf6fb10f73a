using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dunwell.Data;
using Dunwell.Features;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using NodaTime;

namespace Dunwell.Web;

/// <summary>
/// Stripe-style <c>Idempotency-Key</c> for API writes that must never happen twice (payments, and later arrangements
/// and disputes). Put <see cref="RequireIdempotencyKey"/> on the endpoint and mark its body parameter <c>[FromBody]</c>.
/// <list type="bullet">
/// <item>The key is scoped by the caller (<see cref="Actor"/>) and the route, so two integrators never collide.</item>
/// <item>An InFlight row is inserted first; its primary key makes a concurrent duplicate fail to insert → 409.</item>
/// <item>The handler then runs inside a transaction that also completes the row with the response, so the write and the
/// remembered answer commit together or not at all.</item>
/// <item>Same key, same body → the first response replayed (status, body, Location) with <c>Idempotent-Replayed: true</c>.
/// Same key, another body → 422.</item>
/// <item>Only successful (2xx) answers are remembered. A refusal or an exception releases the key, so the caller can
/// fix the request and retry with the same key.</item>
/// </list>
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    /// <summary>
    /// An InFlight row this old belongs to a request whose process died: its transaction rolled back with it, so
    /// nothing was written and the key may be taken over.
    /// </summary>
    public static readonly Duration AbandonedAfter = Duration.FromMinutes(5);

    /// <summary>How long a remembered answer is kept by default: long past any client's retries, short enough not to hoard response bodies.</summary>
    public const int DefaultKeepDays = 30;

    /// <summary>
    /// Forgets remembered answers (and abandoned claims) older than <paramref name="olderThan"/>: a retry with such a key
    /// after that is a new request. Returns how many were forgotten. <c>dunwell idempotency purge</c> runs it.
    /// </summary>
    public static Task<int> PurgeAsync(DunwellDb db, Instant olderThan, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.Where(r => r.CreatedAt < olderThan).ExecuteDeleteAsync(cancellationToken);

    public static System.CommandLine.Command Command()
    {
        var days = new System.CommandLine.Option<int>("--older-than-days")
        {
            Description = $"Forget remembered answers older than this many days (default {DefaultKeepDays}; at least 1).",
            DefaultValueFactory = _ => DefaultKeepDays,
        };
        var purge = new System.CommandLine.Command("purge", "Forget remembered API answers older than the given age, so old response bodies are not kept.") { days };
        purge.SetAction((result, ct) => Cli.RunVerbAsync(async (services, token) =>
        {
            var keep = result.GetValue(days);
            if (keep < 1)
            {
                throw new VerbException("--older-than-days must be at least 1: a key still being retried must keep its answer.");
            }

            var before = services.GetRequiredService<TimeProvider>().Now() - Duration.FromDays(keep);
            var forgotten = await PurgeAsync(services.GetRequiredService<DunwellDb>(), before, token);
            await Console.Out.WriteLineAsync($"Forgot {forgotten} remembered answers older than {keep} days.");
            return 0;
        }, ct));
        return new System.CommandLine.Command("idempotency", "Remembered answers to API requests sent with an Idempotency-Key.") { purge };
    }

    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilterFactory(CreateFilter)
            .WithMetadata(new IdempotencyKeyRequired())
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>OpenAPI operation transformer: documents the required header on endpoints that carry <see cref="IdempotencyKeyRequired"/>.</summary>
    public static Task DocumentHeader(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyRequired>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = HeaderName,
                In = ParameterLocation.Header,
                Required = true,
                Description = "A unique value per request; send it again only to retry the same request, which then replays the first response.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = MaxKeyLength },
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>The stored key: caller, method and path, and the client's key; hashed when that would be too long to store.</summary>
    public static string Scope(string actor, string method, string path, string key)
    {
        var scope = $"{actor}|{method} {path}|{key}";
        return scope.Length <= 400 ? scope : "sha256:" + Sha256(Encoding.UTF8.GetBytes(scope));
    }

    private static EndpointFilterDelegate CreateFilter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var bodyIndex = Array.FindIndex(context.MethodInfo.GetParameters(), p => p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromBodyAttribute>() is not null);
        if (bodyIndex < 0)
        {
            throw new InvalidOperationException(
                $"{context.MethodInfo.DeclaringType?.Name}.{context.MethodInfo.Name} requires an Idempotency-Key but has no [FromBody] parameter to compare retries by.");
        }

        return invocation => RunAsync(invocation, bodyIndex, next);
    }

    private static async ValueTask<object?> RunAsync(EndpointFilterInvocationContext invocation, int bodyIndex, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString().Trim();
        if (key.Length == 0)
        {
            return ApiProblems.Invalid(HeaderName, $"Send an {HeaderName} header (a unique value per payment, reused only to retry the same request).");
        }

        if (key.Length > MaxKeyLength)
        {
            return ApiProblems.Invalid(HeaderName, $"Keep the {HeaderName} under {MaxKeyLength} characters.");
        }

        var services = http.RequestServices;
        var db = services.GetRequiredService<DunwellDb>();
        var now = services.GetRequiredService<TimeProvider>().Now();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var body = invocation.Arguments[bodyIndex];
        var scope = Scope(Actor.Of(http.User), http.Request.Method, http.Request.Path.Value ?? "", key);
        var requestHash = Sha256(body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), json));

        var claim = await ClaimAsync(db, scope, requestHash, now, http.RequestAborted);
        switch (claim)
        {
            case Claim.Mismatch:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused with a different request",
                    detail: $"This {HeaderName} was first used with another request body. Use a new key for a new request.",
                    extensions: new Dictionary<string, object?> { ["field"] = HeaderName });
            case Claim.InFlight:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Request with this Idempotency-Key is still in progress",
                    detail: "Another request with the same key has not finished yet. Retry shortly; it will then be answered with that request's response.",
                    extensions: new Dictionary<string, object?> { ["field"] = HeaderName });
            case Claim.Replay replay:
                return new ReplayResult(replay.Record);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        var originalBody = http.Response.Body;
        using var buffer = new MemoryStream();
        try
        {
            var result = CardNumberNotice.Attach(await next(invocation), http);
            http.Response.Body = buffer;
            await ExecuteAsync(result, http);
            http.Response.Body = originalBody;

            var status = http.Response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var location = http.Response.Headers.Location.ToString();
                var responseBody = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                await db.IdempotencyRecords
                    .Where(r => r.Key == scope)
                    .ExecuteUpdateAsync(
                        set => set
                            .SetProperty(r => r.State, IdempotencyState.Completed)
                            .SetProperty(r => r.StatusCode, status)
                            .SetProperty(r => r.ResponseBody, responseBody)
                            .SetProperty(r => r.Location, location.Length > 0 ? location : null),
                        http.RequestAborted);
                await transaction.CommitAsync(http.RequestAborted);
            }
            else
            {
                await transaction.RollbackAsync(CancellationToken.None);
                await ReleaseAsync(db, scope);
            }
        }
        catch
        {
            http.Response.Body = originalBody;
            await transaction.RollbackAsync(CancellationToken.None);
            await ReleaseAsync(db, scope);
            throw;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(originalBody, http.RequestAborted);
        return Results.Empty;
    }

    private abstract record Claim
    {
        public sealed record Claimed : Claim;

        public sealed record InFlight : Claim;

        public sealed record Mismatch : Claim;

        public sealed record Replay(IdempotencyRecord Record) : Claim;
    }

    private static async Task<Claim> ClaimAsync(DunwellDb db, string scope, string requestHash, Instant now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Key == scope, cancellationToken);
            if (existing is not null)
            {
                if (!string.Equals(existing.RequestHash, requestHash, StringComparison.Ordinal))
                {
                    return new Claim.Mismatch();
                }

                if (existing.State == IdempotencyState.Completed)
                {
                    return new Claim.Replay(existing);
                }

                if (existing.CreatedAt + AbandonedAfter > now)
                {
                    return new Claim.InFlight();
                }

                // Abandoned by a request that died: take it over (only if nobody else did in the meantime).
                await db.IdempotencyRecords
                    .Where(r => r.Key == scope && r.State == IdempotencyState.InFlight && r.CreatedAt == existing.CreatedAt)
                    .ExecuteDeleteAsync(cancellationToken);
                continue;
            }

            var record = new IdempotencyRecord { Key = scope, RequestHash = requestHash, State = IdempotencyState.InFlight, CreatedAt = now };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.Entry(record).State = EntityState.Detached;
                return new Claim.Claimed();
            }
            catch (DbUpdateException e) when (ApiProblems.IsUniqueViolation(e))
            {
                // A concurrent duplicate got there first: look again at what it left.
                db.Entry(record).State = EntityState.Detached;
            }
        }

        return new Claim.InFlight();
    }

    private static Task<int> ReleaseAsync(DunwellDb db, string scope) =>
        db.IdempotencyRecords
            .Where(r => r.Key == scope && r.State == IdempotencyState.InFlight)
            .ExecuteDeleteAsync(CancellationToken.None);

    private static Task ExecuteAsync(object? result, HttpContext http) => result switch
    {
        IResult r => r.ExecuteAsync(http),
        _ => throw new InvalidOperationException("An idempotent endpoint must return an IResult."),
    };

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The remembered answer, as first sent.</summary>
    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = record.StatusCode ?? StatusCodes.Status200OK;
            httpContext.Response.Headers[ReplayedHeaderName] = "true";
            if (record.Location is { Length: > 0 } location)
            {
                httpContext.Response.Headers.Location = location;
            }

            if (record.ResponseBody is { Length: > 0 } body)
            {
                httpContext.Response.ContentType = "application/json; charset=utf-8";
                await httpContext.Response.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

/// <summary>Endpoint metadata: this endpoint requires an <c>Idempotency-Key</c> header (the OpenAPI document shows it).</summary>
public sealed class IdempotencyKeyRequired;

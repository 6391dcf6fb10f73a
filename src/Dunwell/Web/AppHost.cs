using System.Text.Json;
using System.Text.Json.Serialization;
using Dunwell.Data;
using Dunwell.Features;
using Dunwell.Features.Audit;
using Dunwell.Features.Messages.Sms;
using Dunwell.Features.Messages.Outbox;
using Dunwell.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using NodaTime;

namespace Dunwell.Web;

/// <summary>Builds the one host: services, pipeline and every route. Used by <c>serve</c>, by the other verbs and by the tests.</summary>
public static class AppHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Serve wwwroot (and its precompressed copies) from a build as well as from a publish, in every environment: the
        // tests and `dotnet run -- demo` run the build output outside Development. A no-op once published.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;

        services.AddDunwellDb(builder.Configuration);
        services.AddAuditSpool(builder.Configuration); // SQLite: readers' audit events never wait behind a long write
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(DateTimeZoneProviders.Tzdb);
        services.AddHostedService<MigrateOnStart>();
        services.AddHostedService<Features.Inbound.InboundPoller>(); // polls the inbound mailbox when one is configured
        services.AddOutbox(builder.Configuration);
        services.AddSingleton<Features.Messages.IMessageComposer, Features.Templates.MessageComposer>();
        services.AddDunwellDataProtection(builder.Configuration);
        services.AddDunwellForwardedHeaders(builder.Configuration);
        builder.Logging.AddDunwellRequestLogging();

        services.AddIdentityCore<DunwellUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DunwellDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<UserPrincipals>();

        // API routes authenticate with API keys only (no cookies, so no CSRF there); pages use the Identity cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "dunwell";
                o.DefaultChallengeScheme = "dunwell";
            })
            .AddPolicyScheme("dunwell", "API key or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ? ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/denied";
            o.Cookie.Name = "dunwell.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure over HTTPS, also behind a TLS-terminating proxy (forwarded headers)
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnValidatePrincipal = UserPrincipals.ValidateAsync;

            // A page visit by someone whose role does not allow it goes to the friendly /denied page; a form post or an
            // htmx request is refused outright with 403, so a write never looks like it might have worked.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Headers.ContainsKey("HX-Request"))
                {
                    context.Response.Redirect(context.RedirectUri);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return Task.CompletedTask;
            };

            // An htmx request after the session expired: ask htmx to load the sign-in page as a whole page.
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Headers.ContainsKey("HX-Request"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers["HX-Redirect"] = context.RedirectUri;
                }
                else
                {
                    context.Response.Redirect(context.RedirectUri);
                }

                return Task.CompletedTask;
            };
        });
        services.AddDunwellPolicies();
        services.AddCascadingAuthenticationState();

        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestProblems>();
        services.AddExceptionHandler<PageExceptions>(); // pages get the HTML error page; the API keeps problem details
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // binding failures become problems naming the field
        services.AddOpenApi("v1", o =>
        {
            o.AddOperationTransformer(Idempotency.DocumentHeader);
            OpenApiContract.Configure(o); // API only, unique schema names, the bearer key, every status answered
            o.AddSchemaTransformer(OpenApiLimits.DescribeAsync);
        });
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            JsonInput.Configure(o.SerializerOptions); // unknown and repeated fields refused; dates and instants checked alike
            // A time of day inside a policy (business hours) reads back as "09:00:00", as the policy is saved and read.
            o.SerializerOptions.Converters.Add(NodaTime.Serialization.SystemTextJson.NodaConverters.LocalTimeConverter);
        });
        services.AddRazorComponents();
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddScoped<ActorNames>();
        services.AddSmsAndLetters(builder.Configuration); // SMS through the provider, letters into print batches (issue 11)
        services.Configure<RequestLocalizationOptions>(Display.ConfigureLocales);

        var app = builder.Build();

        app.UseDunwellTransport();
        app.UseExceptionHandler();
        app.UseStatusCodePages(PageErrors.WriteStatusAsync);
        app.UseRequestLocalization(); // the viewer's locale, for how pages write money (Display)
        app.UseAuthentication();
        // The caller's creditors, from their key or cookie, before anything reads the database on their behalf.
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<CreditorScope>().SetFrom(context.User);
            return next(context);
        });
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Use(CardNumberNotice.WatchAsync); // "a card number was masked" on every answer that stored one

        app.MapStaticAssets();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();

        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Read);
        api.AddEndpointFilter(async (context, next) => CardNumberNotice.Attach(await next(context), context.HttpContext));
        FeatureRoutes.Map(app, api);

        app.MapRazorComponents<App>();
        return app;
    }
}

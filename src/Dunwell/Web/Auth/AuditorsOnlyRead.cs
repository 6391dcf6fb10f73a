using Dunwell.Domain.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Dunwell.Web.Auth;

/// <summary>
/// Auditors are strictly read-only: whatever policy a route names, an auditor's request that is not a GET or HEAD is
/// refused (403). A page's form posts to the page's own route under the page's read policy, so role policies alone
/// would let an auditor's post through; this refuses it where every endpoint is authorized. Signing out is not a change
/// to anyone's data and stays open.
/// </summary>
internal sealed class AuditorsOnlyRead : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        // Only endpoint authorization passes the request; a page asking "may this user write?" passes no resource.
        if (context.Resource is HttpContext http
            && context.User.IsInRole(Roles.Auditor)
            && !HttpMethods.IsGet(http.Request.Method)
            && !HttpMethods.IsHead(http.Request.Method)
            && !http.Request.Path.Equals("/signout", StringComparison.OrdinalIgnoreCase))
        {
            context.Fail(new AuthorizationFailureReason(this, "Auditors read; they never change anything."));
        }

        return Task.CompletedTask;
    }
}

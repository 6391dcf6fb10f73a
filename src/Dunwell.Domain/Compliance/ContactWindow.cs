using System.Globalization;
using NodaTime;

namespace Dunwell.Domain.Compliance;

/// <summary>
/// The local hours in which contact is allowed, for example 08:00 to 21:00. Whether the closing instant itself is
/// allowed is a choice: Regulation F only calls times "after 9:00 p.m." inconvenient, so its pack allows 21:00:00.
/// </summary>
public sealed record ContactWindow(LocalTime Opens, LocalTime Closes, bool ClosingInstantAllowed = false)
{
    public bool Contains(LocalTime time) =>
        time >= Opens && (ClosingInstantAllowed ? time <= Closes : time < Closes);

    /// <summary>Whether every time this window allows, <paramref name="outer"/> allows too.</summary>
    public bool IsWithin(ContactWindow outer) =>
        Opens >= outer.Opens
        && (Closes < outer.Closes || (Closes == outer.Closes && (outer.ClosingInstantAllowed || !ClosingInstantAllowed)));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Opens:HH':'mm}–{Closes:HH':'mm}");
}

using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PingAspire.Server.Apis;

// The {length} of /redis/{length} and friends, checked here rather than by a route constraint: a constraint answers a
// bad value with a bare 404, where the caller deserves a 400 problem+json saying what is allowed.
public static class RouteLength
{
    public const int Max = 1024;

    public static bool TryParse(string text, out int length) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out length) && length is >= 1 and <= Max;

    public static ProblemHttpResult Invalid(string text) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid length",
            detail: $"length must be a whole number from 1 to {Max}; got '{text}'.");
}

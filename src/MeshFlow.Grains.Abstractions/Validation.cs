using System.Text.RegularExpressions;

namespace MeshFlow.Grains;

/// <summary>
/// Input rules shared by the client, the CLI and the grains, so every entry point rejects the same values
/// with the same message.
/// </summary>
public static partial class Validation
{
    /// <summary>Maximum length of a tenant id.</summary>
    public const int MaxTenantIdLength = 64;

    /// <summary>Maximum length of an event id.</summary>
    public const int MaxEventIdLength = 128;

    /// <summary>Maximum length of a webhook URL.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Maximum length of a webhook secret, in characters.</summary>
    public const int MaxSecretLength = 1024;

    /// <summary>Maximum length of a webhook description.</summary>
    public const int MaxDescriptionLength = 500;

    /// <summary>Maximum length of the free-text event fields (run id, node id, reason, rule name).</summary>
    public const int MaxFieldLength = 4096;

    /// <summary>Maximum length of a metric name.</summary>
    public const int MaxMetricNameLength = 128;

    /// <summary>Maximum size of an ad-hoc payload, in bytes of UTF-8 JSON.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="tenantId"/> is 1 to 64 characters
    /// of ASCII letters, digits, '.', '_' or '-', starting with a letter or digit. Ids are case-sensitive.
    /// </summary>
    public static void TenantId(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxTenantIdLength || !TenantIdPattern().IsMatch(tenantId))
        {
            throw new MeshFlowValidationException(
                $"Invalid tenant id '{tenantId}': use 1 to {MaxTenantIdLength} ASCII letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit.");
        }
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="eventId"/> is 1 to 128 characters
    /// of ASCII letters, digits, '.', '_', ':' or '-'.
    /// </summary>
    public static void EventId(string? eventId)
    {
        if (string.IsNullOrEmpty(eventId) || eventId.Length > MaxEventIdLength || !EventIdPattern().IsMatch(eventId))
        {
            throw new MeshFlowValidationException(
                $"Invalid event id '{eventId}': use 1 to {MaxEventIdLength} ASCII letters, digits, '.', '_', ':' or '-'.");
        }
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="url"/> is an absolute http or https
    /// URL with a host and no user information.
    /// </summary>
    public static Uri WebhookUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)
            || url.Length > MaxUrlLength
            || url.Any(character => char.IsWhiteSpace(character) || char.IsControl(character))
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.Port == 0)
        {
            throw new MeshFlowValidationException(
                $"Invalid webhook URL '{Abbreviate(url)}': use an absolute http:// or https:// URL with a host, a port "
                + $"other than 0 and no spaces, of at most {MaxUrlLength} characters, such as "
                + "https://example.com/meshflow-events.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MeshFlowValidationException(
                "Invalid webhook URL: remove the user name and password from the URL; requests are authenticated by the "
                + "signature header instead.");
        }

        return uri;
    }

    /// <summary>
    /// Shortens a rejected URL for an error message and hides any user information, which may hold a password.
    /// </summary>
    private static string Abbreviate(string? url)
    {
        if (url is null)
        {
            return "";
        }

        var at = url.IndexOf('@', StringComparison.Ordinal);
        var schemeEnd = url.IndexOf("//", StringComparison.Ordinal);
        if (at > 0 && schemeEnd >= 0 && schemeEnd < at)
        {
            url = url[..(schemeEnd + 2)] + "***" + url[at..];
        }

        const int MaxShown = 100;
        return url.Length <= MaxShown ? url : url[..MaxShown] + "...";
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="secret"/> is non-empty, at most 1024
    /// characters and free of control characters. The secret itself never appears in the message.
    /// </summary>
    public static void Secret(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrWhiteSpace(secret))
        {
            throw new MeshFlowValidationException(
                "Missing webhook secret: give a non-empty secret (for example --secret hmac-secret, or --secret-file PATH).");
        }

        if (secret.Length > MaxSecretLength || secret.Any(char.IsControl))
        {
            throw new MeshFlowValidationException(
                $"Invalid webhook secret: use at most {MaxSecretLength} characters with no control characters "
                + "(a secret file may end with one newline).");
        }
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="events"/> contains at least one known
    /// event type or '*'. Returns the distinct types in the order given.
    /// </summary>
    public static IReadOnlyList<string> SubscribedEvents(IEnumerable<string>? events)
    {
        var distinct = new List<string>();
        foreach (var eventType in events ?? [])
        {
            if (eventType != EventTypes.Wildcard && !EventTypes.IsKnown(eventType))
            {
                throw new MeshFlowValidationException(EventTypes.DescribeUnknown(eventType));
            }

            if (!distinct.Contains(eventType, StringComparer.Ordinal))
            {
                distinct.Add(eventType);
            }
        }

        if (distinct.Contains(EventTypes.Wildcard, StringComparer.Ordinal))
        {
            // '*' already takes every type, so the others would only clutter listings.
            return [EventTypes.Wildcard];
        }

        if (distinct.Count == 0)
        {
            throw new MeshFlowValidationException(
                $"Missing event types: subscribe to at least one of {string.Join(", ", EventTypes.All)}, or '*' for all.");
        }

        return distinct;
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> when an optional text field is longer than
    /// <paramref name="maxLength"/> or is not valid Unicode.
    /// </summary>
    public static void OptionalText(string? value, string name, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            throw new MeshFlowValidationException(
                $"Invalid {name}: it has {value.Length} characters; shorten it to at most {maxLength}.");
        }

        if (HasUnpairedSurrogate(value))
        {
            throw new MeshFlowValidationException(
                $"Invalid {name}: it contains an unpaired UTF-16 surrogate, which JSON cannot carry; send valid Unicode text.");
        }
    }

    /// <summary>
    /// Throws <see cref="MeshFlowValidationException"/> unless <paramref name="metric"/> is at most 128 characters of
    /// dot-separated segments of lowercase ASCII letters, digits and '_', such as agent.cost_usd.
    /// </summary>
    public static void MetricName(string? metric)
    {
        if (string.IsNullOrEmpty(metric) || metric.Length > MaxMetricNameLength || !MetricNamePattern().IsMatch(metric))
        {
            throw new MeshFlowValidationException(
                $"Invalid metric name '{metric}': use at most {MaxMetricNameLength} characters in dot-separated segments "
                + "of lowercase ASCII letters, digits and '_', such as agent.cost_usd.");
        }
    }

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex EventIdPattern();

    [GeneratedRegex("^[a-z0-9_]+(\\.[a-z0-9_]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MetricNamePattern();
}

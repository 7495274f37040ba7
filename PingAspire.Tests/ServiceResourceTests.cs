using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using PingAspire.ServiceDefaults.Tracing;

namespace PingAspire.Tests;

// The resource rules of PingAspire.ServiceDefaults/Tracing/ServiceResource.cs
// (https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable).
public sealed class ServiceResourceTests
{
    [Fact]
    public void DefaultServiceNameWhenNothingNamesAService()
    {
        var attributes = Build(("OTEL_RESOURCE_ATTRIBUTES", "service.version=1.2.3"));

        Assert.Equal(ServiceResource.DefaultServiceName, attributes["service.name"]);
        Assert.Equal("1.2.3", attributes["service.version"]);
    }

    [Fact]
    public void ServiceNameFromResourceAttributes()
    {
        var attributes = Build(("OTEL_RESOURCE_ATTRIBUTES", "service.name=py-opentelemetry-manual-otlp-server,service.version=10.10.9"));

        Assert.Equal("py-opentelemetry-manual-otlp-server", attributes["service.name"]);
    }

    [Fact]
    public void OtelServiceNameWinsOverResourceAttributes()
    {
        var attributes = Build(
            ("OTEL_SERVICE_NAME", "server"),
            ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,service.instance.id=abc"));

        Assert.Equal("server", attributes["service.name"]);
        Assert.Equal("abc", attributes["service.instance.id"]);
    }

    [Fact]
    public void ValuesArePercentDecoded()
    {
        var attributes = Build(("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=dev%2Cqa , team=a%20b"));

        Assert.Equal("dev,qa", attributes["deployment.environment.name"]);
        Assert.Equal("a b", attributes["team"]);
    }

    [Fact]
    public void AMalformedMemberDiscardsTheWholeVariable()
    {
        var attributes = Build(("OTEL_RESOURCE_ATTRIBUTES", "service.name=kept?,no-equals-sign"));

        Assert.Equal(ServiceResource.DefaultServiceName, attributes["service.name"]);
        Assert.False(attributes.ContainsKey("no-equals-sign"));
    }

    private static Dictionary<string, object> Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return ServiceResource.Create(configuration, NullLogger.Instance).Build().Attributes
            .ToDictionary(a => a.Key, a => a.Value);
    }
}

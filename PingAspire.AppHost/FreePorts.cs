namespace PingAspire.AppHost;

public static class FreePorts
{
    // A launch profile's port (the server's 5180, for running it alone) becomes the resource's fixed proxy port: a
    // second AppHost on the machine could not take it, and its client would call the first one's server.
    public static IResourceBuilder<ProjectResource> WithAnyFreePort(this IResourceBuilder<ProjectResource> project) =>
        project.WithEndpoint("http", endpoint => endpoint.Port = null);
}

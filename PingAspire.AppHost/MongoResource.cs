namespace PingAspire.AppHost;

// MongoDB as a container. Aspire.Hosting.MongoDB is not available here, so this is the small part of it we need:
// the image, a root user with a generated password, and the connection string clients expect.
public sealed class MongoResource(string name, ParameterResource password) : ContainerResource(name), IResourceWithConnectionString
{
    public const string UserName = "admin";
    public const string PrimaryEndpointName = "tcp";
    public const int MongoPort = 27017;

    public ParameterResource Password => password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    // The root user lives in the "admin" database, hence authSource=admin. The password is URI-escaped (":uri"), so
    // that an override holding @ : / % still makes a valid connection string.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"mongodb://{UserName}:{Password:uri}@{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}/?authSource=admin");
}

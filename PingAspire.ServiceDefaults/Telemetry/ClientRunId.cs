namespace PingAspire.ServiceDefaults.Telemetry;

// A baggage entry each client run sets and the server writes on its span: the proof that baggage crossed too.
public static class ClientRunId
{
    public const string BaggageKey = "pingaspire.client.run_id";
}

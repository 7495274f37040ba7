namespace PingAspire.Tests.Infrastructure;

// Every wait in the suite is bounded by one of these. Generous, because CI has 2 cores and starts several AppHosts.
public static class Timeouts
{
    public static readonly TimeSpan AppHostStart = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan SpansArrive = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ClientFinishes = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Request = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan AppHostStop = TimeSpan.FromSeconds(60);

    // What a bound measured on an idle machine gets on top on CI's busy 2 cores: bounds are the configured value
    // plus this, never a figure seen once.
    public static readonly TimeSpan BusyMachineMargin = TimeSpan.FromSeconds(3);
}

using PingAspire.Tests.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// Each AppHost runs DCP, Garnet and two .NET processes; on 2 cores, one test at a time keeps timings honest.
[assembly: Parallelization(Mode = ParallelMode.None)]
[assembly: AssemblyFixture(typeof(AppHostFixture))]

using StreamBilling.Bench.Streamiz;

// Child process of `streambilling bench runtime --engine streamiz` and `bench caps`: the CLI starts it with the
// embedded cluster's address and topics it created, and reads its stdout.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: StreamBilling.Bench.Streamiz runtime|caps --name value ...");
    return 2;
}

var arguments = new BenchArguments(args[1..]);
return args[0] switch
{
    "runtime" => await WindowSumRun.RunAsync(arguments).ConfigureAwait(false),
    "caps" => await CdnCapRun.RunAsync(arguments).ConfigureAwait(false),
    _ => throw new ArgumentException($"Unknown workload '{args[0]}'."),
};

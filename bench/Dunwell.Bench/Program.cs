namespace Dunwell.Bench;

/// <summary>Benchmarks for bench/RESULTS.md. Run: dotnet run -c Release --project bench/Dunwell.Bench -- import --accounts 1000000</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine($"unknown benchmark '{string.Join(' ', args)}'");
        return 2;
    }
}

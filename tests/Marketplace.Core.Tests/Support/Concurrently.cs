namespace Marketplace.Core.Tests.Support;

/// <summary>Runs workers on pool threads and releases them together, so they really contend.</summary>
public static class Concurrently
{
    public static async Task<T[]> RunAsync<T>(int workers, Func<int, Task<T>> work)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new CountdownEvent(workers);
        var tasks = Enumerable.Range(0, workers)
            .Select(i => Task.Run(async () =>
            {
                ready.Signal();
                await start.Task;
                return await work(i);
            }))
            .ToArray();

        // Wait until every worker is parked at the gate before opening it.
        await Task.Run(ready.Wait);
        start.SetResult();
        var results = await Task.WhenAll(tasks);
        ready.Dispose();
        return results;
    }
}

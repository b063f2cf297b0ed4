namespace Marketplace.Web.Tests;

/// <summary>Starts workers on pool threads and opens one gate for all of them, so their requests really overlap.</summary>
public static class Concurrently
{
    public static async Task<T[]> RunAsync<T>(int workers, Func<int, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var ready = new CountdownEvent(workers);
        var tasks = Enumerable.Range(0, workers)
            .Select(i => Task.Run(async () =>
            {
                ready.Signal();
                await gate.Task;
                return await work(i);
            }))
            .ToArray();
        await Task.Run(ready.Wait);
        gate.SetResult();
        return await Task.WhenAll(tasks);
    }
}

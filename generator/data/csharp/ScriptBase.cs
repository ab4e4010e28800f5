// Test harness: Microsoft's documented custom-code surface for Power Platform connectors
// (learn.microsoft.com, "Write code in a custom connector"), enough to compile and run script.csx
// offline with Mono. The real runtime provides these types; script.csx must not define them.
using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

public abstract class ScriptBase
{
    // Context object (set by the runtime before ExecuteAsync).
    public IScriptContext Context { get; internal set; }

    // CancellationToken for the execution (the runtime allows 5 seconds).
    public CancellationToken CancellationToken { get; internal set; }

    // Helper: creates a StringContent object from the serialized JSON.
    public static StringContent CreateJsonContent(string serializedJson)
    {
        return new StringContent(serializedJson, Encoding.UTF8, "application/json");
    }

    // Abstract method for your code.
    public abstract Task<HttpResponseMessage> ExecuteAsync();
}

public interface IScriptContext
{
    // Correlation Id
    string CorrelationId { get; }

    // Connector Operation Id
    string OperationId { get; }

    // Incoming request
    HttpRequestMessage Request { get; }

    // Logger instance
    ILogger Logger { get; }

    // Used to send an HTTP request; use it instead of HttpClient.SendAsync.
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

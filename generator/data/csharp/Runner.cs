// Test harness entry point: runs a connector's Script for one request, the way the Power Platform
// runtime does after the policy templates. With `--serve` it handles one request per line until
// stdin closes (one process for many calls). Reads the request as JSON on stdin:
//   {"operationId", "correlationId", "method", "url", "headers": [[name, value], ...], "body": base64|null,
//    "timeoutSeconds": 5}
// and writes the script's response as JSON on stdout:
//   {"status", "reason", "headers": [[name, value], ...], "body": base64, "logs": [...], "sent": [...]}
// Context.SendAsync does real HTTP with HttpClient (to a local mock server in the tests).
// An exception in the script becomes {"status": 500, "error": "..."} as the platform would answer 500.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

public sealed class HarnessLogger : ILogger
{
    public readonly List<string> Lines = new List<string>();

    public void Log(LogLevel logLevel, string message)
    {
        Lines.Add(logLevel + ": " + message);
    }
}

public sealed class HarnessContext : IScriptContext
{
    private static readonly HttpClient Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public readonly List<string> Sent = new List<string>();

    public HarnessContext(string correlationId, string operationId, HttpRequestMessage request, ILogger logger)
    {
        CorrelationId = correlationId;
        OperationId = operationId;
        Request = request;
        Logger = logger;
    }

    public string CorrelationId { get; private set; }
    public string OperationId { get; private set; }
    public HttpRequestMessage Request { get; private set; }
    public ILogger Logger { get; private set; }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Recorded so tests can check which calls the script made (method and URL only, never headers).
        Sent.Add(request.Method.Method + " " + request.RequestUri.AbsoluteUri);
        return Client.SendAsync(request, cancellationToken);
    }
}

public static class Runner
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--serve")
        {
            string line;
            while ((line = Console.In.ReadLine()) != null)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                Console.Out.WriteLine(Handle(JObject.Parse(line)));
                Console.Out.Flush();
            }
            return 0;
        }
        Console.Out.Write(Handle(JObject.Parse(Console.In.ReadToEnd())));
        return 0;
    }

    private static string Handle(JObject input)
    {
        var logger = new HarnessLogger();
        var request = BuildRequest(input);
        var context = new HarnessContext(
            (string)input["correlationId"] ?? Guid.Empty.ToString(), (string)input["operationId"] ?? "", request, logger);
        var timeout = input["timeoutSeconds"] == null ? 5.0 : (double)input["timeoutSeconds"];
        var output = new JObject();
        try
        {
            using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(timeout)))
            {
                var script = new Script { Context = context, CancellationToken = cancel.Token };
                var response = script.ExecuteAsync().GetAwaiter().GetResult();
                WriteResponse(output, response);
            }
        }
        catch (Exception exc)
        {
            var inner = exc is AggregateException && exc.InnerException != null ? exc.InnerException : exc;
            output["status"] = 500;
            output["reason"] = "Internal Server Error";
            output["headers"] = new JArray();
            output["body"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                new JObject { { "error", inner.GetType().Name + ": " + inner.Message } }.ToString(Formatting.None)));
            output["error"] = inner.ToString();
        }
        output["logs"] = new JArray(logger.Lines.Cast<object>().ToArray());
        output["sent"] = new JArray(context.Sent.Cast<object>().ToArray());
        return output.ToString(Formatting.None);
    }

    private static HttpRequestMessage BuildRequest(JObject input)
    {
        var request = new HttpRequestMessage(new HttpMethod((string)input["method"]), new Uri((string)input["url"]));
        var body = (string)input["body"];
        if (body != null)
        {
            request.Content = new ByteArrayContent(Convert.FromBase64String(body));
        }
        foreach (var pair in (JArray)input["headers"] ?? new JArray())
        {
            var name = (string)pair[0];
            var value = (string)pair[1];
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content != null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return request;
    }

    private static void WriteResponse(JObject output, HttpResponseMessage response)
    {
        output["status"] = (int)response.StatusCode;
        output["reason"] = response.ReasonPhrase ?? "";
        var headers = new JArray();
        foreach (var header in response.Headers)
        {
            foreach (var value in header.Value) headers.Add(new JArray(header.Key, value));
        }
        byte[] bytes = new byte[0];
        if (response.Content != null)
        {
            foreach (var header in response.Content.Headers)
            {
                foreach (var value in header.Value) headers.Add(new JArray(header.Key, value));
            }
            bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }
        output["headers"] = headers;
        output["body"] = Convert.ToBase64String(bytes);
    }
}

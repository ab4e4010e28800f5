// Test harness: the part of Microsoft.Extensions.Logging that connector scripts use
// (ILogger and the LogInformation/LogWarning/... extension methods), not shipped with Mono.
using System;

namespace Microsoft.Extensions.Logging
{
    public enum LogLevel { Trace, Debug, Information, Warning, Error, Critical, None }

    public interface ILogger
    {
        void Log(LogLevel logLevel, string message);
    }

    public static class LoggerExtensions
    {
        public static void LogTrace(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Trace, message, args); }
        public static void LogDebug(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Debug, message, args); }
        public static void LogInformation(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Information, message, args); }
        public static void LogWarning(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Warning, message, args); }
        public static void LogError(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Error, message, args); }
        public static void LogCritical(this ILogger logger, string message, params object[] args) { Write(logger, LogLevel.Critical, message, args); }

        // The overloads with an exception first, as Microsoft.Extensions.Logging.LoggerExtensions defines them.
        public static void LogTrace(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Trace, Append(message, exception), args); }
        public static void LogDebug(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Debug, Append(message, exception), args); }
        public static void LogInformation(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Information, Append(message, exception), args); }
        public static void LogWarning(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Warning, Append(message, exception), args); }
        public static void LogError(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Error, Append(message, exception), args); }
        public static void LogCritical(this ILogger logger, Exception exception, string message, params object[] args) { Write(logger, LogLevel.Critical, Append(message, exception), args); }

        private static string Append(string message, Exception exception)
        {
            return exception == null ? message : message + " (" + exception.GetType().Name + ": " + exception.Message + ")";
        }

        private static void Write(ILogger logger, LogLevel level, string message, object[] args)
        {
            // Structured-logging templates ("{Name}") are kept as written: the harness only records them.
            logger.Log(level, args == null || args.Length == 0 ? message : message + " [" + string.Join(", ", args) + "]");
        }
    }
}

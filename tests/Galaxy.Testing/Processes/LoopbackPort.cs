using System.Net;
using System.Net.Sockets;

namespace Galaxy.Testing.Processes;

public static class LoopbackPort
{
    /// <summary>A port nobody listens on now, as the operating system hands them out.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Galaxy.Operations.Postgres;
using Npgsql;

namespace Galaxy.Operations.Tests;

/// <summary>
/// A connection string as PostgreSQL's own programs take it: quoted libpq keywords without the password, the password
/// in the environment only, and a URI with every part escaped.
/// </summary>
public sealed class LibpqConnectionTests
{
    private static readonly string Awkward = new NpgsqlConnectionStringBuilder
    {
        Host = "db.example", Port = 6543, Database = "gal'axy", Username = @"ops\user", Password = "p@ss:w/rd",
    }.ConnectionString;

    [Fact]
    public void Keywords_quote_every_value_and_leave_the_password_out()
    {
        Assert.Equal(@"host='db.example' port=6543 dbname='gal\'axy' user='ops\\user'", LibpqConnection.Keywords(Awkward));
        Assert.Equal("host='127.0.0.1' port=5433 dbname='postgres'", LibpqConnection.Keywords("Port=5433"));
        Assert.Equal(@"host='db.example' port=6543 dbname='other' user='ops\\user'", LibpqConnection.Keywords(Awkward, database: "other"));
    }

    [Fact]
    public void The_password_travels_in_PGPASSWORD_and_only_when_there_is_one()
    {
        Assert.Equal(new Dictionary<string, string> { ["PGPASSWORD"] = "p@ss:w/rd" }, LibpqConnection.Environment(Awkward));
        Assert.Empty(LibpqConnection.Environment("Host=db.example;Username=ops"));
    }

    [Fact]
    public void A_uri_escapes_the_account_password_and_database_so_they_read_back_whole()
    {
        var uri = new Uri(LibpqConnection.Uri(Awkward));

        Assert.Equal(("postgresql", "db.example", 6543), (uri.Scheme, uri.Host, uri.Port));
        var account = uri.UserInfo.Split(':');
        Assert.Equal([@"ops\user", "p@ss:w/rd"], account.Select(part => Uri.UnescapeDataString(part)));
        Assert.Equal("/gal'axy", Uri.UnescapeDataString(uri.AbsolutePath));

        Assert.Equal("postgresql://ops@db.example:5432/galaxy", LibpqConnection.Uri("Host=db.example;Username=ops;Database=galaxy"));
        Assert.Equal("postgresql://127.0.0.1:5432/postgres", LibpqConnection.Uri("Port=5432"));
    }
}

global using Galaxy.Grains;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Orleans;

global using Galaxy.Kernels;
global using Microsoft.Extensions.Options;
global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;

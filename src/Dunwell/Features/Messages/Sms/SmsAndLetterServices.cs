using Dunwell.Features.Messages.Letters;

namespace Dunwell.Features.Messages.Sms;

/// <summary>The SMS and letter channels: their settings, the provider's HTTP client and the two senders.</summary>
public static class SmsAndLetterServices
{
    public static IServiceCollection AddSmsAndLetters(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SmsProviderOptions>(configuration.GetSection(SmsProviderOptions.Section));
        services.AddHttpClient(SmsSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<IChannelSender, SmsSender>();
        services.AddSingleton<IChannelSender, LetterSender>();
        return services;
    }
}

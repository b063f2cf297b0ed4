namespace Marketplace.E2E;

[CollectionDefinition("app")]
public sealed class AppCollection : ICollectionFixture<AppServer>, ICollectionFixture<BrowserFixture>;

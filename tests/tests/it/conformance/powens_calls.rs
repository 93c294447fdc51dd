//! One call per method of `powens::Client`, in the order of the generated
//! `operations/*.rs` files: required parameters, a realistic body, and for
//! lists some optional query parameters. Some bodies go form-encoded, so
//! both encodings the spec declares are checked. Deprecated operations are
//! still operations: they are called too.
//!
//! A call is `r.call(c.operation(required arguments)).await;`: it is known
//! by its operation's `Operation::NAME` (the `operationId`), so a new
//! operation of the spec needs one such line here (the conformance test
//! prints it, ready to paste), and nothing else.

#![allow(deprecated)]

use powens::models::*;

use super::{amount, date, datetime, logo, map, Calls};

const ME: UserId = UserId::Me;

pub(crate) async fn call_every_operation(c: &powens::Client, r: &mut impl Calls) {
    account_types(c, r).await;
    accounts(c, r).await;
    admin_alerts_auth(c, r).await;
    banks(c, r).await;
    categories(c, r).await;
    certificates_clients_config(c, r).await;
    connections(c, r).await;
    connectors(c, r).await;
    misc(c, r).await;
    logs(c, r).await;
    profiles_providers(c, r).await;
    recipients_sources_subscriptions(c, r).await;
    transactions(c, r).await;
    transactions_clusters(c, r).await;
    transfers_users(c, r).await;
    webhooks(c, r).await;
}

async fn account_types(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_account_types().expand(["parent"])).await;
    r.call(c.get_account_type(2)).await;
    r.call(c.list_user_account_types(ME)).await;
    r.call(c.get_user_account_type(UserId::Id(7), 2)).await;
}

async fn accounts(c: &powens::Client, r: &mut impl Calls) {
    r.call(
        c.list_accounts(ME)
            .able_to_transfer(true)
            .offset(0)
            .limit(50)
            .expand(["transactions[category]", "connection"]),
    )
    .await;
    r.call(c.get_account(ME, 17).expand(["connection"])).await;
    r.call(c.list_connection_accounts(ME, 7)).await;
    r.call(c.update_connection_accounts(ME, 7)).await;
    let mut body = CreateConnectionAccountRequest::new("Livret A");
    body.balance = Some(amount("1500.25"));
    body.iban = Some("FR7630004012550000041157244".into());
    body.id_currency = Some("EUR".into());
    body.number = Some("3002900000".into());
    r.call(c.create_connection_account(ME, 7, body)).await;
    r.call(c.delete_connection_accounts(ME, 7)).await;
    let mut body = UpdateConnectionAccountRequest::new();
    body.display = Some(true);
    body.name = Some("Compte joint".into());
    body.usage = Some(UpdateConnectionAccountRequestUsage::Priv);
    body.bookmarked = Some(false);
    r.call(
        c.update_connection_account(ME, 7, "17,18")
            .all(false)
            .body(body),
    )
    .await;
    r.call(c.delete_connection_account(ME, 7, 17)).await;
    r.call(
        c.get_connection_account_delta(ME, 7, 17)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31"))
            .period("month"),
    )
    .await;
    r.call(c.list_connection_account_sources(ME, 7, 17)).await;
}

async fn admin_alerts_auth(c: &powens::Client, r: &mut impl Calls) {
    let mut body = CreateManageJwtRequest::new();
    body.duration = Some(3600);
    body.scope = Some("config".into());
    r.call(c.create_manage_jwt().body(body)).await;
    r.call(c.list_user_alerts(ME)).await;

    let mut body = InitAuthRequest::new();
    body.client_id = Some("17473055".into());
    body.client_secret = Some("54tHJHjvodbANVzaRtcLzlHGXQiOgw80".into());
    r.call(c.init_auth().body(body).form_encoded()).await;
    let mut body = CreateUserJwtRequest::new();
    body.client_id = Some("17473055".into());
    body.client_secret = Some("54tHJHjvodbANVzaRtcLzlHGXQiOgw80".into());
    body.id_user = Some(7);
    body.expire = Some(false);
    r.call(c.create_user_jwt().body(body)).await;
    let mut body = RenewAccessTokenRequest::new("17473055", "54tHJHjvodbANVzaRtcLzlHGXQiOgw80", 7);
    body.revoke_previous = Some(true);
    r.call(c.renew_access_token(body)).await;
    let mut body = CreateTokenRequest::new(CreateTokenRequestRequired {
        application: "sharedAccess".into(),
        password: "hunter2".into(),
        username: "jdoe@example.com".into(),
    });
    body.grant_type = Some(CreateTokenRequestGrantType::Password);
    r.call(c.create_token(body).form_encoded()).await;
    r.call(c.delete_token()).await;
    let mut body = CreateAccessTokenRequest::new(CreateAccessTokenRequestRequired {
        client_id: "17473055".into(),
        client_secret: "54tHJHjvodbANVzaRtcLzlHGXQiOgw80".into(),
        code: "fBqjMZbYddebUGlkR445JKPA6pCoRaGb".into(),
    });
    body.redirect_uri = Some("https://app.example.com/callback".into());
    r.call(c.create_access_token(body)).await;
    r.call(
        c.get_temporary_code()
            .r#type(GetTemporaryCodeType::SingleAccess),
    )
    .await;
    r.call(c.create_user_token(ME, CreateUserTokenRequest::new("sharedAccess")))
        .await;
}

async fn banks(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_banks().expand(["fields"]).offset(0).limit(20))
        .await;
    r.call(
        c.create_bank_category(CreateBankCategoryRequest::new("Banques en ligne"))
            .form_encoded(),
    )
    .await;
    r.call(c.update_bank_category(4, UpdateBankCategoryRequest::new("Néobanques")))
        .await;
    r.call(c.delete_bank_category(4)).await;
    r.call(c.get_bank(59).expand(["fields"])).await;
    r.call(
        c.list_bank_connections(59)
            .range(30)
            .r#type(1)
            .occurrences(2),
    )
    .await;
    r.call(c.list_bank_logos(59)).await;
    r.call(c.list_bank_main_logos(59)).await;
    r.call(c.list_bank_thumbnail_logos(59)).await;
    r.call(c.list_bank_sources(59)).await;
    r.call(c.list_bank_source_fields(59, 2)).await;
    r.call(c.get_bank_source(59, 2)).await;
}

async fn categories(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_categories()).await;
    let mut body = CreateCategoryKeywordRequest::new();
    body.id_category = Some(9998);
    body.keyword = Some("NETFLIX".into());
    body.income = Some(false);
    body.priority = Some(1);
    r.call(c.create_category_keyword().body(body)).await;
    r.call(c.delete_category_keyword(12)).await;
    let body = CategorizeTransactionsRequest::new(CategorizeTransactionsRequestRequired {
        r#type: "card".into(),
        value: amount("-16.22"),
        wording: "FACTURE CB HALL'S BEER".into(),
    });
    r.call(c.categorize_transactions(body)).await;
    r.call(c.list_account_categories(ME, 17)).await;
    r.call(c.list_user_categories(ME)).await;
    r.call(c.list_user_full_categories(ME)).await;
    let mut body = CreateUserCategoryRequest::new();
    body.name = Some("Vacances".into());
    body.color = Some("AABBCC".into());
    body.id_parent_category = Some(9998);
    body.income = Some(Some(false));
    body.refundable = Some(false);
    r.call(c.create_user_category(ME).body(body)).await;
    let mut body = UpdateUserCategoryRequest::new();
    body.hide = Some(UpdateUserCategoryRequestHide::Toggle);
    body.accountant_account = Some("606300".into());
    r.call(c.update_user_category(ME, 10).body(body)).await;
    r.call(c.delete_user_category(ME, 10)).await;
    r.call(c.list_connection_account_categories(ME, 7, 17))
        .await;
}

async fn certificates_clients_config(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.get_certificate("signing")).await;

    r.call(c.list_clients()).await;
    let mut body = CreateClientRequest::new();
    body.name = Some("My app".into());
    body.redirect_uris = Some("https://app.example.com/callback".into());
    body.generate_keys = Some(false);
    r.call(c.create_client().body(body)).await;
    r.call(c.get_client(3)).await;
    let mut body = UpdateClientRequest::new();
    body.name = Some("My app".into());
    body.primary_color = Some("0055AA".into());
    body.pro = Some(false);
    r.call(c.update_client(3).body(body)).await;
    r.call(c.delete_client(3)).await;
    r.call(c.update_client_logo(3, UpdateClientLogoRequest::new(logo())))
        .await;
    r.call(c.delete_client_logo(3)).await;

    r.call(c.get_config().search("connection.*")).await;
    let mut body = UpdateConfigRequest::new();
    body.search = Some("connection.disable_new".into());
    body.additional_properties
        .insert("connection.disable_new".into(), "0".into());
    r.call(c.update_config().body(body)).await;
    r.call(
        c.list_config_logs()
            .search("connection")
            .r#type(ConfigLogType::Update)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31")),
    )
    .await;
    r.call(c.get_user_config(ME)).await;
    r.call(c.update_user_config(ME).body(map(&[("autosync", "1")])))
        .await;
    r.call(c.delete_user_config(ME).keys("autosync")).await;
}

async fn connections(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_connections_without_user().expand(["connector"]))
        .await;
    r.call(
        c.list_admin_connection_logs(7)
            .limit(10)
            .offset(0)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31"))
            .state(0)
            .period("day")
            .id_user(7)
            .id_connection_query(7)
            .id_connector(40)
            .charged(true)
            .id_source(2),
    )
    .await;
    r.call(c.list_admin_connection_sources(7)).await;
    r.call(c.update_admin_connection_source(7, 2)).await;
    r.call(c.enable_admin_connection_source(7, 2)).await;
    r.call(c.disable_admin_connection_source(7, 2)).await;
    r.call(
        c.list_connections(ME)
            .expand([ConnectionExpand::Accounts, ConnectionExpand::Connector]),
    )
    .await;
    r.call(c.sync_connections(ME).expand(["accounts[transactions]"]))
        .await;
    let mut body = ConnectionRequest::new();
    body.id_connector = Some(40);
    body.additional_properties = map(&[("login", "12345678"), ("password", "123456")]);
    r.call(
        c.create_connection(ME, body)
            .expand([ConnectionExpand::Accounts])
            .source("openapi")
            .form_encoded(),
    )
    .await;
    r.call(c.delete_connections(ME)).await;
    r.call(
        c.get_connection(ME, 7)
            .expand([ConnectionExpand::Connector, ConnectionExpand::Sources]),
    )
    .await;
    let mut body = SyncConnectionRequest::new();
    body.psu_requested = Some(true);
    body.last_update = Some(datetime("2024-01-31 10:00:00"));
    r.call(c.sync_connection(ME, 7).background(true).body(body))
        .await;
    let mut body = ConnectionUpdateRequest::new();
    body.active = Some(true);
    body.additional_properties = map(&[("otp", "654321")]);
    r.call(c.update_connection(ME, 7).background(false).body(body))
        .await;
    r.call(c.delete_connection(ME, 7)).await;
    r.call(c.get_connection_informations(ME, 7)).await;
}

async fn connectors(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_connectors().expand(["fields"])).await;
    let mut body = UpdateConnectorsRequest::new();
    body.hidden = Some(false);
    r.call(c.update_connectors().body(body)).await;
    let mut body = NewConnectorRequest::new(NewConnectorRequestRequired {
        login: "jdoe".into(),
        name: "Ma Banque".into(),
        password: "hunter2".into(),
    });
    body.url = Some("https://www.mabanque.example".into());
    body.email = Some("jdoe@example.com".into());
    body.types = Some("bank".into());
    body.comment = Some("Please add it".into());
    body.sendmail = Some(true);
    r.call(c.request_new_connector(body)).await;
    r.call(c.get_connectors_status()).await;
    r.call(c.get_connector(40).expand(["fields"])).await;
    let mut body = UpdateConnectorRequest::new();
    body.hidden = Some(false);
    body.sync_frequency = Some(24);
    body.id_categories = Some(Some("1,2".into()));
    r.call(c.update_connector(40).body(body)).await;
    r.call(c.list_connector_logos(40)).await;
    let mut body = UpdateConnectorLogoRequest::new();
    body.id_file = Some(12);
    r.call(c.create_or_update_connector_logo(40).body(body))
        .await;
    let mut body = CreateConnectorLogoRequest::new();
    body.id_file = Some(12);
    body.img = Some(logo());
    r.call(c.create_connector_logo(40).body(body)).await;
    r.call(c.list_connector_main_logos(40)).await;
    r.call(c.list_connector_thumbnail_logos(40)).await;
    let mut body = UpdateConnectorLogoRequest::new();
    body.id_file = Some(13);
    r.call(c.update_connector_logo(40, 5).body(body).form_encoded())
        .await;
    r.call(c.delete_connector_logo(40, 5)).await;
    r.call(c.list_connector_sources(40)).await;
    r.call(c.list_connector_source_fields(40, 2)).await;
    r.call(c.get_connector_source(40, 2)).await;
    let mut body = UpdateConnectorSourceRequest::new();
    body.auth_mechanism = Some("credentials".into());
    r.call(c.update_connector_source(40, 2).body(body)).await;
}

async fn misc(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.get_forecast(ME)).await;
    r.call(
        c.list_incidents()
            .state("open")
            .weboob_id("bnporc")
            .start_date(date("2024-01-01"))
            .end_date(date("2024-01-31"))
            .page(1)
            .size(20),
    )
    .await;
    r.call(c.list_account_investments(ME, 17).offset(0).limit(10))
        .await;
    r.call(
        c.get_invoicing()
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31"))
            .users_synced("1")
            .detail("1"),
    )
    .await;
    r.call(c.get_monitoring().period(24)).await;
}

async fn logs(c: &powens::Client, r: &mut impl Calls) {
    r.call(
        c.list_logs()
            .limit(10)
            .offset(0)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31"))
            .state(0)
            .id_connector(40)
            .charged(false),
    )
    .await;
    r.call(
        c.list_connection_account_logs(ME, 7, 17)
            .limit(10)
            .offset(0)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31")),
    )
    .await;
    r.call(
        c.list_connection_logs(ME, 7)
            .limit(10)
            .period("day")
            .id_user_query(7),
    )
    .await;
    r.call(c.list_user_logs(ME).limit(10).offset(10).id_connection(7))
        .await;
}

async fn profiles_providers(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_profiles(ME)).await;
    r.call(c.get_main_profile(ME)).await;
    r.call(c.get_profile(ME, 1)).await;

    r.call(c.list_providers().expand(["fields"])).await;
    r.call(c.list_provider_connections(12).range(30)).await;
    r.call(c.list_provider_logos(12)).await;
    r.call(c.list_provider_main_logos(12)).await;
    r.call(c.list_provider_thumbnail_logos(12)).await;
    r.call(c.list_provider_sources(12)).await;
    r.call(c.list_provider_source_fields(12, 2)).await;
    r.call(c.get_provider_source(12, 2)).await;
    r.call(c.get_provider(12)).await;
}

async fn recipients_sources_subscriptions(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_account_recipients(ME, 17).offset(0).limit(10))
        .await;
    let mut body = CreateRecipientRequest::new(CreateRecipientRequestRequired {
        iban: "FR7613048379405300290000355".into(),
        label: "Papa".into(),
    });
    body.category = Some("Famille".into());
    r.call(c.create_recipient(ME, 17, body)).await;
    let mut body = ValidateRecipientRequest::new();
    body.sms = Some("123456".into());
    r.call(c.validate_recipient(ME, 17, 3).body(body)).await;

    r.call(c.list_connection_sources(ME, 7)).await;
    r.call(c.update_connection_source(ME, 7, 2)).await;
    r.call(c.enable_connection_source(ME, 7, 2)).await;
    r.call(c.disable_connection_source(ME, 7, 2)).await;

    r.call(c.list_connection_subscriptions(ME, 7).all(true))
        .await;
    r.call(c.get_connection_subscription(ME, 7, 5).all(false))
        .await;
    r.call(c.list_subscriptions(ME).all(true).expand(["connection"]))
        .await;
    r.call(c.get_subscription(ME, 5)).await;
    let mut body = SubscriptionUpdateRequest::new();
    body.disabled = Some(true);
    r.call(c.update_subscription(ME, 5).body(body)).await;
}

async fn transactions(c: &powens::Client, r: &mut impl Calls) {
    r.call(
        c.list_account_transactions(ME, 17)
            .limit(50)
            .offset(0)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31"))
            .income(false)
            .deleted(false)
            .all(true)
            .last_update(datetime("2024-01-15 08:30:00"))
            .min_value(amount("-100.50"))
            .max_value(amount("100"))
            .search("BEER")
            .expand(["category"]),
    )
    .await;
    r.call(
        c.list_connection_account_transactions(ME, 7, 17)
            .limit(50)
            .min_date(date("2024-01-01"))
            .wording("HALL'S BEER"),
    )
    .await;
    let mut body = CreateTransactionRequest::new(
        date("2024-01-15"),
        "VIR SEPA LOYER JANVIER",
        amount("-850.00"),
    );
    body.r#type = Some("transfer".into());
    body.rdate = Some(date("2024-01-14"));
    body.coming = Some(false);
    body.active = Some(true);
    r.call(c.create_connection_account_transaction(ME, 7, 17, body))
        .await;
    r.call(c.delete_connection_account_transactions(ME, 7, 17))
        .await;
    let mut body = UpdateTransactionRequest::new();
    body.wording = Some("Loyer".into());
    body.id_category = Some(9998);
    body.comment = Some("janvier".into());
    body.application_date = Some(date("2024-01-15"));
    body.active = Some(true);
    r.call(
        c.update_connection_account_transaction(ME, 7, 17, 309)
            .body(body),
    )
    .await;
    r.call(c.list_connection_account_transaction_informations(ME, 7, 17, 309))
        .await;
    r.call(c.update_connection_account_transaction_informations(ME, 7, 17, 309))
        .await;
    r.call(c.delete_connection_account_transaction_informations(ME, 7, 17, 309))
        .await;
    r.call(c.get_connection_account_transaction_information(ME, 7, 17, 309, 1))
        .await;
    r.call(c.delete_connection_account_transaction_information(ME, 7, 17, 309, 1))
        .await;
    r.call(
        c.list_transactions(UserId::Id(7))
            .limit(100)
            .offset(100)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-03-31"))
            .income(true)
            .value("-16.22")
            .expand(["category", "account"]),
    )
    .await;
}

fn cluster() -> CreateTransactionsClusterRequest {
    CreateTransactionsClusterRequest::new(CreateTransactionsClusterRequestRequired {
        next_date: date("2024-02-01"),
        mean_amount: amount("-850.00"),
        wording: "LOYER".into(),
        id_account: 17,
    })
}

fn cluster_update() -> UpdateTransactionsClusterRequest {
    let mut body = UpdateTransactionsClusterRequest::new();
    body.enabled = Some(true);
    body.mean_amount = Some(amount("-855.10"));
    body.next_date = Some(date("2024-03-01"));
    body.id_category = Some(9998);
    body
}

async fn transactions_clusters(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.list_account_transactions_clusters(ME, 17)).await;
    let body = CreateAccountTransactionsClusterRequest::new(CreateAccountTransactionsClusterRequestRequired {
        next_date: date("2024-02-01"),
        mean_amount: amount("-850.00"),
        wording: "LOYER".into(),
        id_account: 17,
    });
    r.call(c.create_account_transactions_cluster(ME, 17, body))
        .await;
    let mut body = UpdateAccountTransactionsClusterRequest::new();
    body.wording = Some("LOYER APPARTEMENT".into());
    body.enabled = Some(false);
    r.call(c.update_account_transactions_cluster(ME, 17, 4).body(body))
        .await;
    r.call(c.delete_account_transactions_cluster(ME, 17, 4))
        .await;
    r.call(c.list_connection_account_transactions_clusters(ME, 7, 17))
        .await;
    r.call(c.create_connection_account_transactions_cluster(ME, 7, 17, cluster()))
        .await;
    r.call(
        c.update_connection_account_transactions_cluster(ME, 7, 17, 4)
            .body(cluster_update()),
    )
    .await;
    r.call(c.delete_connection_account_transactions_cluster(ME, 7, 17, 4))
        .await;
    r.call(c.list_connection_transactions_clusters(ME, 7)).await;
    r.call(
        c.create_connection_transactions_cluster(ME, 7, cluster())
            .form_encoded(),
    )
    .await;
    r.call(
        c.update_connection_transactions_cluster(ME, 7, 4)
            .body(cluster_update()),
    )
    .await;
    r.call(c.delete_connection_transactions_cluster(ME, 7, 4))
        .await;
    r.call(c.list_transactions_clusters(ME)).await;
    r.call(c.create_transactions_cluster(ME, cluster())).await;
    r.call(c.update_transactions_cluster(ME, 4).body(cluster_update()))
        .await;
    r.call(c.delete_transactions_cluster(ME, 4)).await;
}

async fn transfers_users(c: &powens::Client, r: &mut impl Calls) {
    let mut body = CreateTransferRequest::new(amount("10.50"), "Test virement");
    body.exec_date = Some(date("2024-02-01"));
    r.call(c.create_transfer(ME, 17, 3, body)).await;
    let mut body = ExecuteTransferRequest::new(true);
    body.password = Some("123456".into());
    r.call(c.execute_transfer(ME, 22, body)).await;

    r.call(c.list_users().search("jdoe")).await;
    r.call(c.get_user(ME)).await;
    r.call(c.delete_user(UserId::Id(42))).await;
}

async fn webhooks(c: &powens::Client, r: &mut impl Calls) {
    r.call(c.test_sync()).await;
    r.call(c.test_webhooks()).await;
    r.call(c.list_webhooks()).await;
    let mut body = CreateWebhookRequest::new();
    body.url = Some("https://app.example.com/webhooks/user-synced".into());
    body.event = Some("USER_SYNCED".into());
    body.id_auth = Some("1".into());
    r.call(c.create_webhook().body(body)).await;
    r.call(c.delete_webhooks()).await;
    r.call(c.list_webhook_auth_providers()).await;
    let mut body = CreateWebhookAuthProviderRequest::new("hmac", 1);
    body.config = Some(r#"{"secret": "s3cret"}"#.into());
    r.call(c.create_webhook_auth_provider(body)).await;
    r.call(c.delete_webhook_auth_providers()).await;
    r.call(
        c.replace_webhook_auth_provider(2, UpdateWebhookAuthProviderRequest::new("hmac", 1)),
    )
    .await;
    r.call(
        c.update_webhook_auth_provider(2, UpdateWebhookAuthProviderRequest::new("basic", 2)),
    )
    .await;
    r.call(c.delete_webhook_auth_provider(2)).await;
    let mut body = UpdateWebhookRequest::new();
    body.url = Some("https://app.example.com/webhooks/v2".into());
    body.event = Some("USER_SYNCED".into());
    r.call(c.replace_webhook(3).body(body)).await;
    let mut body = UpdateWebhookRequest::new();
    body.deleted = Some(None);
    body.id_auth = Some(1);
    r.call(c.update_webhook(3).body(body)).await;
    r.call(c.delete_webhook(3)).await;
    r.call(c.list_webhook_add_to_data_entries(3)).await;
    r.call(
        c.create_webhook_add_to_data_entries(3)
            .body(map(&[("crm_id", "A-123")])),
    )
    .await;
    r.call(c.delete_webhook_add_to_data_entries(3)).await;
    r.call(c.get_webhook_add_to_data_entry(3, "crm_id")).await;
    r.call(
        c.set_webhook_add_to_data_entry(3, "crm_id")
            .body(map(&[("value", "A-124")])),
    )
    .await;
    r.call(c.delete_webhook_add_to_data_entry(3, "crm_id"))
        .await;
    r.call(
        c.list_webhook_logs(3)
            .id_user(7)
            .limit(10)
            .offset(0)
            .min_date(date("2024-01-01"))
            .max_date(date("2024-01-31")),
    )
    .await;
    r.call(c.list_webhook_events()).await;
}

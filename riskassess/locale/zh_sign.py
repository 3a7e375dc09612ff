"""Chinese messages: signing records with an assessment body's key."""

ZH: dict[str, str] = {
    "signing needs the cryptography package": "签名需要 cryptography 软件包",
    "install riskassess[signing] (pip install 'riskassess[signing]')": "请安装 riskassess[signing]（pip install 'riskassess[signing]'）",
    "not a usable key: {reason}": "无法使用的密钥：{reason}",
    "make one with `riskassess key new`": "可用 `riskassess key new` 生成",
    "not an Ed25519 key": "不是 Ed25519 密钥",
    "the record's signature is not an Ed25519 signature riskassess wrote": "记录中的签名不是 riskassess 生成的 Ed25519 签名",
    "choose another path: a key is never overwritten": "请换一个路径：密钥不会被覆盖",
    "wrote {private} (secret) and {public}": "已写入 {private}（私钥，须保密）和 {public}（公钥）",
    "evaluate the questionnaire again, then sign the new record": "请重新评估问卷，再签署新记录",
    "signed {id} with key {fingerprint}": "已用密钥 {fingerprint} 签署 {id}",
    "signed with key {fingerprint} (give --key to check the signature)": "已由密钥 {fingerprint} 签署（用 --key 给出公钥以核验签名）",
    "the record is not signed": "该记录没有签名",
    "the signature is not valid for key {fingerprint}": "签名与密钥 {fingerprint} 不符",
    "signature valid: key {fingerprint}": "签名有效：密钥 {fingerprint}",
}

HELP: dict[str, str] = {
    "Keys of an assessment body, for signing records.": "评估主体的密钥，用于签署评估记录。",
    "Make an Ed25519 key pair: keep the private key secret, give the public one to whoever verifies.":
        "生成 Ed25519 密钥对：私钥自行保密，公钥交给核验方。",
    "The private key file; the public key is written beside it with .pub.": "私钥文件；公钥写在同一目录，文件名加后缀“.pub”。",
    "Sign a record with an assessment body's key (verify --key checks it).": "用评估主体的密钥签署评估记录（verify --key 可核验）。",
    "The assessment body's private key.": "评估主体的私钥。",
    "An assessment body's public key: the record must carry its valid signature.": "评估主体的公钥：记录须带有该密钥的有效签名。",
}

//! The words of the Chinese help: each command's description, the global options',
//! and each command's and step's own arguments, by the argument's id.

/// Each command's description, in Chinese.
pub(super) const COMMANDS: &[(&str, &str)] = &[
    ("console", "打开全屏值守台（默认）"),
    ("ingest", "从 JSONL 或 CSV 文件导入舆情信息（格式见 docs/items.md）"),
    ("items", "列出舆情信息"),
    ("dismiss", "排除待研判的信息，须写明原因"),
    ("requeue", "把信息放回待研判：过期移出的，或 24 小时内排除的，须写明原因"),
    ("monitor", "登记某渠道某日的监测情况（发现 0 条即零报告）"),
    ("cases", "按最近时限列出办理中的舆情事项"),
    ("case", "办理某一舆情事项"),
    ("departments", "某时段的部门履职情况"),
    ("export", "按全序导出事件（JSONL）"),
    ("verify", "重放日志，核对存储的各项数据"),
    ("backup", "把数据文件夹完整备份到新文件夹（值守台或中继运行时也可）"),
    ("restore", "从备份文件夹或导出文件重建一个新的空数据文件夹"),
    ("config", "配置文件"),
    ("serve", "运行无界面的中继台：保存并转发事件"),
    ("report", "某时段的定期通报（Markdown、CSV 或 HTML）"),
    ("audit", "操作审计：谁在何时做了什么（来自事件日志）"),
    ("operator", "本台的值守人员"),
    ("drill", "演练剧本（docs/drills/format.md）"),
    ("rules", "研判规则（rules.toml）"),
    ("cluster", "集群证书：建立部署、登记控制台和工具、吊销"),
    ("completions", "输出 shell 补全脚本（bash、zsh、fish 等）"),
    ("man", "输出手册页（roff），或把全部手册页写入文件夹"),
];

/// The global options' help, in Chinese.
pub(super) const OPTIONS: &[(&str, &str)] = &[
    ("data", "数据文件夹［默认：用户数据文件夹下的 yuqing/live］"),
    ("config", "配置文件夹［默认：用户配置文件夹下的 yuqing］"),
    ("actor", "以此值守人员身份操作［默认：console.toml 中的 operator］"),
    ("to", "通过此地址上运行的值守台或中继办理（ingest、dismiss、case）"),
];

const PERIOD: [(&str, &str); 3] = [
    ("from", "起始时间（RFC 3339 或本地时间 YYYY-MM-DD HH:MM）"),
    ("to", "截止时间，不含（这些命令中 --to 总是时段的终点，不是地址）"),
    ("period", "县内日历时段：一周（2026-W47）、一月（2026-11）、一季（2026-Q4）或一年（2026）"),
];
const JSON: (&str, &str) = ("json", "机器可读输出（JSON）");
const CASE: (&str, &str) = ("case", "舆情事项编号，如 A-0001");
const REASON: (&str, &str) = ("reason", "原因（必填，记入审计）");
const SEVERITY: (&str, &str) = ("severity", "级别");
const CATEGORY: (&str, &str) = ("category", "类别");
const LEAD: (&str, &str) = ("lead", "牵头单位（代码或名称）");
const CO: (&str, &str) = ("co", "协办单位（可重复）");
const MILESTONE: (&str, &str) = ("milestone", "时限节点");
const UNTIL: (&str, &str) = ("until", "延至（RFC 3339 或本地时间 YYYY-MM-DD HH:MM）");
const DRAFT: (&str, &str) = ("draft", "草稿编号，如舆情事项中所示（#1 为第一份）［默认：最新待审核的一份］");
const NOTE: (&str, &str) = ("note", "备注");
const KIND: (&str, &str) = ("kind", "回应类型");
const OPERATOR: (&str, &str) = ("id", "值守人员编号");
const ROLE: (&str, &str) = ("role", "角色");

/// Each command's own arguments and options (and, for the `case` steps, the step's
/// description), in Chinese: (the command's path, its description or "" to keep the
/// one above, [(argument id, help)]).
pub(super) type Own = (&'static [&'static str], &'static str, &'static [(&'static str, &'static str)]);
pub(super) const OWN: &[Own] = &[
    (
        &["console"],
        "",
        &[
            ("lang", "界面语言：zh 或 en［默认：console.toml 中的设置，其次 LANG］"),
            ("keymap", "键位：名称（default、vim）或 TOML 文件"),
            ("listen", "在此地址接受其他值守台和报送工具，如 0.0.0.0:7420"),
            ("peers", "连接此值守台或中继（可重复）；正式值守台还连接 console.toml 中的各方，演练不连"),
        ],
    ),
    (
        &["serve"],
        "",
        &[("listen", "在此地址接受其他值守台和报送工具，如 0.0.0.0:7420"), ("peers", "连接此值守台或中继（可重复）")],
    ),
    (
        &["ingest"],
        "",
        &[
            ("files", "JSONL 或 CSV 文件（格式见 docs/items.md）"),
            ("skip_invalid", "导入合格的行，报告不合格的行（默认：有任何一行不合格就什么都不写）"),
            ("json", "机器可读输出：每批落盘一行 JSON，最后一行汇总"),
            ("batch", "每批落盘的条数"),
        ],
    ),
    (&["items"], "", &[JSON, ("status", "只列此状态：new 待研判、dismissed 已排除、attached 已并入、expired 已过期")]),
    (&["dismiss"], "", &[("items", "信息编号，如 A.17（可多个）"), REASON]),
    (&["requeue"], "", &[("items", "信息编号，如 A.17（可多个）"), REASON]),
    (
        &["monitor"],
        "",
        &[
            ("channel", "监测渠道"),
            ("found", "发现的相关信息条数；0 即零报告"),
            ("day", "日期（YYYY-MM-DD，县内日期）［默认：今天］"),
            NOTE,
        ],
    ),
    (&["cases"], "", &[JSON, ("all", "也列出已结案的")]),
    (&["departments"], "", &[JSON, PERIOD[0], PERIOD[1], PERIOD[2]]),
    (&["export"], "", &[PERIOD[0], PERIOD[1], PERIOD[2]]),
    (
        &["report"],
        "",
        &[
            PERIOD[0],
            PERIOD[1],
            PERIOD[2],
            ("format", "格式：md、csv 或 html"),
            ("output", "写入此文件，而不是标准输出"),
            ("lang", "标题和表头的语言：zh 或 en［默认：zh］"),
        ],
    ),
    (
        &["audit"],
        "",
        &[
            ("case", "只列此舆情事项的事件"),
            ("operator", "只列此值守人员的事件"),
            PERIOD[0],
            PERIOD[1],
            PERIOD[2],
            JSON,
        ],
    ),
    (&["backup"], "", &[("dir", "新文件夹，写入 events.jsonl 和 backup.json")]),
    (&["restore"], "", &[("source", "yuqing backup 写的文件夹，或 yuqing export 写的文件")]),
    (
        &["case", "open"],
        "由信息登记舆情事项",
        &[
            ("items", "信息编号，如 A.17（可多个）"),
            SEVERITY,
            CATEGORY,
            LEAD,
            CO,
            ("title", "标题［默认：第一条信息的标题］"),
        ],
    ),
    (&["case", "attach"], "把信息并入办理中的舆情事项", &[CASE, ("items", "信息编号，如 A.17（可多个）")]),
    (
        &["case", "classify"],
        "重新研判级别和类别（重算时限）",
        &[
            CASE,
            SEVERITY,
            CATEGORY,
            ("since_item", "升为重大时：使之成为重大的信息；重大舆情的时限自其到达起算［默认：现在］"),
        ],
    ),
    (&["case", "assign"], "交办：设定牵头和协办单位", &[CASE, LEAD, CO]),
    (&["case", "transfer"], "转办给另一牵头单位", &[CASE, ("lead", "新的牵头单位（代码或名称）"), REASON]),
    (&["case", "ack"], "单位签收舆情事项", &[CASE, ("dept", "签收的单位（代码或名称）")]),
    (&["case", "escalate"], "督办（仅带班领导）", &[CASE, REASON]),
    (&["case", "report-county"], "记录已报告县政府", &[CASE, NOTE]),
    (
        &["case", "refer"],
        "向公安或网警移交线索",
        &[CASE, ("agency", "移交对象"), ("reference", "移交文号，如 沅网信〔2026〕12号")],
    ),
    (&["case", "draft"], "起草回应", &[CASE, KIND, ("text", "草稿内容")]),
    (
        &["case", "sign-off"],
        "协办单位会签草稿（默认最新待审核的一份）",
        &[CASE, ("dept", "会签的协办单位（代码或名称）"), DRAFT],
    ),
    (
        &["case", "wording"],
        "为同一事件的各舆情事项统一口径，各次发布须原文引用（仅带班领导）",
        &[("cases", "共用口径的舆情事项编号"), ("text", "统一的口径")],
    ),
    (&["case", "approve"], "审核通过草稿（默认最新待审核的一份；协办单位先会签）（仅带班领导）", &[CASE, DRAFT]),
    (
        &["case", "publish"],
        "发布回应（须有同类已审核草稿，带班领导除外）",
        &[CASE, KIND, ("channel", "发布渠道"), ("text", "发布内容［默认：已审核草稿的内容］"), ("url", "发布的网址")],
    ),
    (&["case", "press-conference"], "记录已召开的新闻发布会", &[CASE, NOTE]),
    (&["case", "request-extension"], "在到期前申请带班领导延期某时限节点", &[CASE, MILESTONE, UNTIL, REASON]),
    (
        &["case", "extend"],
        "在到期前延期某时限节点，至多超出原时限 max_extension_hours 小时（仅带班领导）",
        &[CASE, MILESTONE, UNTIL, REASON],
    ),
    (
        &["case", "note"],
        "添加备注",
        &[CASE, ("text", "备注内容"), ("text_option", "备注内容，以选项给出（同 case draft --text）")],
    ),
    (&["case", "mark"], "问责建议（仅带班领导）", &[CASE, ("dept", "被建议问责的单位（代码或名称）"), REASON]),
    (
        &["case", "close"],
        "结案",
        &[CASE, ("outcome", "结案方式（各类别可用的见 docs/metrics.md 和 policy.toml）"), NOTE],
    ),
    (&["case", "reopen"], "重新打开已结案的舆情事项", &[CASE, REASON]),
    (&["case", "show"], "查看舆情事项：时限节点、信息、经过", &[CASE, JSON]),
    (
        &["operator", "add"],
        "新增值守人员（带班领导操作：--as）；新口令输入两次（或读取 YUQING_NEW_PIN）",
        &[OPERATOR, ("name", "姓名"), ROLE],
    ),
    (&["operator", "list"], "列出现行值守人员（部署中的名册优先于 operators.toml）", &[]),
    (&["operator", "pin"], "设置或重置值守人员口令（带班领导操作）；输入两次（或读取 YUQING_NEW_PIN）", &[OPERATOR]),
    (&["operator", "disable"], "在所有值守台停用值守人员：不能再登录或操作", &[OPERATOR]),
    (&["operator", "enable"], "重新启用已停用的值守人员", &[OPERATOR]),
    (&["operator", "role"], "改变值守人员的角色", &[OPERATOR, ROLE]),
    (
        &["operator", "token"],
        "发给值守人员新令牌，用于从别处经 --to 办理；只显示一次，只保存其散列；旧令牌作废",
        &[OPERATOR],
    ),
    (&["drill", "check"], "检查剧本文件；每个错误注明行和字段", &[("files", "剧本文件（JSONL）")]),
    (
        &["drill", "run"],
        "在演练自己的数据文件夹（绝不是正式的）里按虚拟时钟运行剧本",
        &[
            ("file", "剧本（JSONL，见 docs/drills/format.md）"),
            ("speed", "每真实秒推进的虚拟秒数（1 或更大的整数）"),
            ("headless", "不开界面：投放全部条目并打印提示后结束（带 --listen 时继续为学员服务直到 Ctrl-C）"),
            ("drill_data", "演练数据文件夹［默认：正式文件夹旁的 drills/<剧本>-<时间>］"),
            ("listen", "导演：在此地址接受学员，如 0.0.0.0:7420"),
            ("peers", "学员：连接导演的地址（与 --join 同用）"),
            ("join", "作为学员加入导演的演练：本台不投放条目，信息和时钟经 --peer 来自导演"),
        ],
    ),
    (
        &["drill", "record"],
        "把正式日志的一个时段做成剧本：信息按时间偏移，值守人员的处置作为预期",
        &[
            ("out", "写入的剧本文件"),
            PERIOD[0],
            ("to", "截止时间，不含"),
            ("anonymize", "遮盖手机号、身份证号，以及此文件所列（每行一个）的姓名"),
            ("force", "输出文件已存在时覆盖"),
        ],
    ),
    (
        &["drill", "score"],
        "按剧本的预期为演练评分（同时写入 score.md）",
        &[("drill_data", "演练数据文件夹，即 drill run 所打印的")],
    ),
    (&["rules", "stats"], "各条规则命中、登记时被提示、被采纳的次数", &[JSON]),
    (&["cluster", "init"], "在本机建立集群证书机构（配置文件夹下 authority/），并以 name 登记本台", &[]),
    (
        &["cluster", "enroll"],
        "以 NAME 登记一个值守台（或带 --submitter 登记监测工具）：写出一个仅本人可读的凭据文件，带到该机",
        &[
            ("name", "简称，部署内唯一：1–16 个字母、数字、- 或 _"),
            ("submitter", "只能报送信息的监测工具"),
            ("out", "凭据写入此处［默认：当前文件夹下 NAME.credentials.toml］"),
            ("replace", "重新登记已登记过的名称（换了新电脑）：旧证书随即吊销"),
        ],
    ),
    (&["cluster", "revoke"], "吊销 NAME 的证书（电脑丢失）：此后所有值守台都拒绝它", &[("name", "要吊销的名称")]),
    (
        &["config", "init"],
        "写出可编辑的 console.toml、departments.toml、policy.toml、operators.toml 和 rules.toml",
        &[
            ("force", "覆盖已有的文件"),
            ("name", "本台名称（1–8 个字母、数字或 _，部署内唯一）［默认：登记的名称，否则由主机名加随机部分组成］"),
        ],
    ),
    (&["completions"], "", &[("shell", "补全脚本的 shell")]),
    (&["man"], "", &[("dir", "把 yuqing.1 和各命令的手册页（yuqing-ingest.1 等）写入此文件夹，而不是打印 yuqing.1")]),
];

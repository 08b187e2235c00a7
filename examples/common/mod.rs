//! What the benchmarks share: a realistic monitoring feed (Chinese items, many of them
//! reposts of a few viral posts or look-alikes from one template), filling a store
//! through the desk, waiting until a store is released before a child opens it, and
//! medians.

#![allow(dead_code)] // each benchmark uses part of it

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use yuqing::config::Settings;
use yuqing::desk::Desk;
use yuqing::domain::clock::SystemClock;
use yuqing::domain::command::Command;
use yuqing::domain::item::{Channel, NewItem};
use yuqing::store::{Store, StoreError};

/// Commands per desk batch, as `yuqing ingest` sends them.
pub const BATCH: usize = 1000;

const TOWNS: [&str; 8] = ["城关镇", "五强溪镇", "官庄镇", "麻溪铺镇", "筲箕湾镇", "马底驿乡", "二酉苗族乡", "火场乡"];
const ISSUES: [&str; 6] = [
    "小区停水三天无人回应",
    "道路施工噪音扰民夜间仍在施工",
    "学校食堂饭菜变质多名学生腹泻",
    "建筑工地拖欠农民工工资",
    "菜市场缺斤少两无人监管",
    "河道有人非法采砂",
];
const VIRAL: [&str; 5] = [
    "网传县人民医院一名产妇死亡，家属在医院门口拉横幅讨说法，现场有大量群众围观，医院至今未作回应",
    "有网友爆料某化工厂夜间偷排废水，下游河段出现大量死鱼，村民饮水受到影响，环保部门接到举报后迟迟不来",
    "网传县城某小学校车超载侧翻，多名学生受伤送医，视频在朋友圈疯传，教育局称正在核实",
    "网友称县城拆迁补偿标准不一，部分住户被强行断水断电，数十名群众聚集在县政府门口",
    "一段视频显示城管执法人员与摊贩发生冲突，摊贩被推倒在地，围观群众情绪激动，视频点击量已过百万",
];

/// A text of `len` characters drawn from common Chinese characters, fixed by `seed`.
pub fn cjk(seed: u64, len: usize) -> String {
    const POOL: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年着过发后能下多没么去好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁伸摩盟末乃悲拍丁赵";
    let pool: Vec<char> = POOL.chars().collect();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            pool[((x >> 33) % pool.len() as u64) as usize]
        })
        .collect()
}

fn wrap(i: usize, title: String, body: String) -> NewItem {
    NewItem {
        channel: if i.is_multiple_of(3) { Channel::Wechat } else { Channel::Weibo },
        title,
        body,
        url: Some(format!("https://weibo.example/status/{}", 4_900_000_000u64 + i as u64)),
        author: Some(format!("网友{}", cjk(i as u64 ^ 0x55, 3))),
        published_at: None,
        reach: Some((i as u64 * 7919) % 50_000),
        external_id: Some(format!("wb-{i}")),
    }
}

/// A repost of viral post `post`: the same text with a reposter's few words around it.
pub fn repost(i: usize, post: usize) -> NewItem {
    let text = VIRAL[post % VIRAL.len()];
    let title: String = text.chars().take(24).collect();
    wrap(i, format!("转发：{title}"), format!("{}//{text}", cjk(i as u64, 6)))
}

/// An item of its own: a complaint about something different.
pub fn distinct(i: usize) -> NewItem {
    wrap(
        i,
        format!("网友反映{}", cjk(i as u64 + 1, 14)),
        format!("{}。{}", cjk(i as u64 + 2, 60), cjk(i as u64 + 3, 30)),
    )
}

/// A look-alike from one template: the same kind of complaint about another place.
pub fn template(i: usize) -> NewItem {
    let (town, issue) = (TOWNS[i % TOWNS.len()], ISSUES[(i / TOWNS.len()) % ISSUES.len()]);
    let village = cjk(i as u64 + 4, 2);
    wrap(
        i,
        format!("{town}{village}村{issue}"),
        format!(
            "有网友发帖称，{town}{village}村{issue}，已向有关部门反映多次，希望尽快解决。{}",
            cjk(i as u64 + 5, 20)
        ),
    )
}

/// Item `i` of a feed: four in ten reposts of five viral posts, three in ten template
/// look-alikes, three in ten items of their own.
pub fn feed(i: usize) -> NewItem {
    match i % 10 {
        0..=3 => repost(i, i / 10),
        4..=6 => template(i),
        _ => distinct(i),
    }
}

/// Receives `items` through a desk on the store in `dir` (batches of [`BATCH`]), then
/// closes the desk and waits until the store is released.
pub fn fill(dir: &Path, items: impl Iterator<Item = NewItem>) {
    let settings = Arc::new(Settings::default());
    let store = Store::open(dir, "live").unwrap();
    let desk = Desk::start(store, settings.clone(), Arc::new(SystemClock)).unwrap();
    let op = settings.operator("duty").unwrap().clone();
    let mut batch = Vec::with_capacity(BATCH);
    let send = |batch: &mut Vec<Command>| {
        let answers = desk.run_blocking(&op, std::mem::take(batch));
        assert!(answers.iter().all(|a| a.is_ok()), "a receipt was refused");
    };
    for item in items {
        batch.push(Command::ReceiveItem { item });
        if batch.len() == BATCH {
            send(&mut batch);
        }
    }
    if !batch.is_empty() {
        send(&mut batch);
    }
    drop(desk);
    released(dir);
}

/// Waits until no handle of this process holds the store in `dir` (a desk's writer
/// thread lets go a moment after the desk is dropped), so a child can open it.
pub fn released(dir: &Path) {
    let t = Instant::now();
    loop {
        match Store::open(dir, "live") {
            Ok(s) => return drop(s),
            Err(StoreError::Locked(_)) if t.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            Err(e) => panic!("the store in {} is not free: {e}", dir.display()),
        }
    }
}

/// The median of the figures.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Peak resident memory of this process so far, in kB (`VmHWM`).
pub fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Bytes of the files under `dir`.
pub fn disk_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

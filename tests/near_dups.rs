//! Near-duplicate hints on a labelled set (issue 17, finding 5): reposts of one post
//! must be found and must rank above posts that only share a template (the same
//! complaint about another town), which a duty officer must not merge. Precision and
//! recall at the threshold are printed (`cargo test --test near_dups -- --nocapture`)
//! and recorded in docs/architecture.md (near-duplicates).

use yuqing::triage::similar::{THRESHOLD, signature, similarity};

/// Each group: an original post, then its reposts (the same incident).
const GROUPS: &[&[&str]] = &[
    &[
        "沅陵大道与辰州路交叉口路面塌陷，一辆货车后轮陷进坑里，现场已经拉起警戒线，过往车辆请绕行。",
        "转发微博：沅陵大道与辰州路交叉口路面塌陷，一辆货车后轮陷进坑里，现场已经拉起警戒线，过往车辆请绕行。",
        "沅陵大道与辰州路交叉口路面塌陷，一辆货车后轮陷进坑里，现场已经拉起警戒线，过往车辆请绕行。//@沅陵生活圈：太危险了，希望尽快修好",
        "#沅陵身边事# 沅陵大道与辰州路交叉口路面塌陷 一辆货车后轮陷进坑里 现场已经拉起警戒线 过往车辆请绕行",
    ],
    &[
        "网传县第一中学食堂饭菜变质，多名学生吃完午饭后腹痛，已有家长赶到学校要求说法。",
        "网传县第一中学食堂饭菜变质，多名学生吃完午饭后腹痛，已有家长赶到学校要求说法。有没有知道情况的？",
        "【扩散】网传县第一中学食堂饭菜变质，多名学生吃完午饭后腹痛，已有家长赶到学校要求说法！！！",
    ],
    &[
        "有人说五强溪水库要泄洪，下游官庄镇要被淹，大家赶紧转移，这是真的吗？",
        "有人说五强溪水库要泄洪，下游官庄镇要被淹，大家赶紧转移。",
        "转：有人说五强溪水库要泄洪，下游官庄镇要被淹，大家赶紧转移，这是真的吗？求官方回应",
    ],
    &[
        "县人民医院门诊挂号排队两个小时，自助机一半是坏的，也没有工作人员引导，老人根本不会用。",
        "县人民医院门诊挂号排队两个小时，自助机一半是坏的，也没有工作人员引导，老人根本不会用。医院管不管？",
        "县人民医院门诊挂号排队两个小时 自助机一半是坏的 也没有工作人员引导 老人根本不会用",
    ],
];

/// Template look-alikes: the same complaint about different places, each a different
/// incident (no two of them are duplicates of each other).
const TEMPLATES: &[&str] = &[
    "筲箕湾镇枫香坪村自来水已经停了三天，村民生活用水困难，希望有关部门尽快解决。",
    "二酉苗族乡大坪村自来水已经停了五天，村民生活用水困难，希望有关部门尽快解决。",
    "明溪口镇胡家溪村自来水已经停了两天，村民生活用水困难，希望有关部门尽快解决。",
    "荔溪乡岩头寨村自来水已经停了一周，村民生活用水困难，希望有关部门尽快解决。",
    "我们官庄镇界亭驿村的工资已经拖欠三个月，二十多名工人讨薪无果，请劳动监察部门介入。",
    "我们凉水井镇七甲坪村的工资已经拖欠半年，三十多名工人讨薪无果，请劳动监察部门介入。",
    "我们麻溪铺镇樟木溪村的工资已经拖欠两个月，十几名工人讨薪无果，请劳动监察部门介入。",
    // A template whose every copy also says 通组道路 (路 ends a common word, not a place).
    "我是官庄镇长坪村村民，村里通组道路年久失修，雨天泥泞不堪，村民出行困难，学生上学不便，希望政府尽快安排硬化。",
    "我是凉水井镇清水村村民，村里通组道路年久失修，雨天泥泞不堪，村民出行困难，学生上学不便，希望政府尽快安排硬化。",
    "我是麻溪铺镇杨柳村村民，村里通组道路年久失修，雨天泥泞不堪，村民出行困难，学生上学不便，希望政府尽快安排硬化。",
    "我是筲箕湾镇桃坪村村民，村里通组道路年久失修，雨天泥泞不堪，村民出行困难，学生上学不便，希望政府尽快安排硬化。",
];

/// Posts of their own.
const OTHERS: &[&str] = &[
    "今天沅陵的晚霞真好看，在龙舟广场拍了几张照片分享给大家。",
    "请问县政务服务中心周六上班吗？想去办理不动产登记。",
    "低价出售二手家电，冰箱洗衣机空调都有，有意者私聊。",
];

struct Post {
    text: &'static str,
    /// The incident it belongs to; `None` for a post that is its own.
    group: Option<usize>,
}

fn posts() -> Vec<Post> {
    let mut v = Vec::new();
    for (g, texts) in GROUPS.iter().enumerate() {
        v.extend(texts.iter().map(|&text| Post { text, group: Some(g) }));
    }
    v.extend(TEMPLATES.iter().chain(OTHERS).map(|&text| Post { text, group: None }));
    v
}

#[test]
fn reposts_are_found_and_rank_above_template_look_alikes() {
    let posts = posts();
    let sigs: Vec<_> = posts.iter().map(|p| signature(p.text).expect("long enough")).collect();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut wrong_best = Vec::new();
    for i in 0..posts.len() {
        for j in (i + 1)..posts.len() {
            let same = posts[i].group.is_some() && posts[i].group == posts[j].group;
            let hinted = similarity(&sigs[i], &sigs[j]) >= THRESHOLD;
            match (same, hinted) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        // The best match of a repost is in its own incident.
        if posts[i].group.is_some() {
            let best = (0..posts.len())
                .filter(|&j| j != i)
                .max_by(|&a, &b| similarity(&sigs[i], &sigs[a]).total_cmp(&similarity(&sigs[i], &sigs[b])))
                .unwrap();
            if posts[best].group != posts[i].group {
                wrong_best.push((posts[i].text, posts[best].text));
            }
        }
    }
    let precision = f64::from(tp) / f64::from(tp + fp).max(1.0);
    let recall = f64::from(tp) / f64::from(tp + fn_).max(1.0);
    println!("pairs: {tp} found, {fp} false hints, {fn_} missed; precision {precision:.2}, recall {recall:.2}");
    assert!(wrong_best.is_empty(), "best match outside the incident: {wrong_best:#?}");
    assert!(recall >= 0.9, "recall {recall:.2}");
    assert!(precision >= 0.9, "precision {precision:.2} ({fp} template or unrelated pairs hinted)");
}

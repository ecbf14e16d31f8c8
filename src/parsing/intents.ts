// Messages that are not data: short replies to a pending question, help requests, closure notices. Matched on
// the whole (normalised) message so that 好的 inside a report never counts.
import type { OtherIntent } from "./types.ts";

const HELP = /^(?:帮助|help|\/help|\?|？|菜单|指令|命令|使用说明|说明|怎么用|怎么报|怎么报数|如何使用|如何报数|你能做什么|能做什么|功能|用法)[?？!！。.]*$/i;
const CONFIRM = /^(?:是|是的|对|对的|对啊|确认|确定|好|好的|好滴|嗯|嗯嗯|没错|ok|okay|可以|行|yes|y|没问题|记吧|记上|就这样)[!！。.~]*$/i;
const CANCEL = /^(?:取消|不对|算了|不用了?|不要|不是|no|n|别记|不用记|先别记)[!！。.~]*$/i;
export const CLOSURE = /闭馆|休馆|暂停开放|不开放|停止开放|停馆|临时关闭/;

export function shortReplyIntent(text: string): OtherIntent | undefined {
  const compact = text.replace(/\s+/g, "");
  if (HELP.test(compact)) return "help";
  if (CONFIRM.test(compact)) return "confirm";
  if (CANCEL.test(compact)) return "cancel";
  return undefined;
}

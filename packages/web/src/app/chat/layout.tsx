"use client";
import type { ReactNode } from "react";
import { ChatProvider } from "../../components/chat/chat-provider";

// One realtime connection and room list for both chat routes, kept while moving between them.
export default function ChatLayout({ children }: { children: ReactNode }) {
  return <ChatProvider>{children}</ChatProvider>;
}

"use client";
import { ChatScreen } from "../../components/chat/chat-screen";

export default function ChatPage() {
  return <ChatScreen roomId={null} />;
}
